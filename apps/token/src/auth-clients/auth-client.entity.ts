import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChangeSource } from '@loyalty-edge/token-contracts';

@Entity({ name: 'auth_clients' })
export class AuthClientEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'client_id', type: 'text', unique: true })
  clientId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ type: 'text' })
  audience!: string;

  /** HMAC-SHA256 of the secret under a key derived from TOKEN_KEY_ENCRYPTION_KEY; never the secret. */
  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash!: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** E-mail (or id) of the actor who created it. */
  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_via', type: 'text' })
  createdVia!: ChangeSource;

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: 'admin' | 'token' | 'system';

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy!: string | null;

  /** When its KV record was deleted, once no token of it could still be valid. */
  @Column({ name: 'pruned_at', type: 'timestamptz', nullable: true })
  prunedAt!: Date | null;
}
