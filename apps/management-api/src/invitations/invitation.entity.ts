import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { MemberRole } from '@loyalty-edge/management-contracts';

/** A pending invitation to a workspace; deleted when accepted or revoked. */
@Entity({ name: 'invitations' })
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  /** Trimmed and lowercased, like account emails. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  role!: MemberRole;

  /** SHA-256 of the link's random 256-bit token (the token is shown once, never stored). */
  @Column({ name: 'token_hash', type: 'bytea', unique: true })
  tokenHash!: Buffer;

  @Column({ name: 'invited_by', type: 'uuid', nullable: true })
  invitedBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
