import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An auth-client lifecycle event (`AuditEvents.authClient`). */
@Entity({ name: 'auth_client_events' })
export class AuthClientEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'client_id', type: 'text' })
  clientId!: string;

  @Column({ name: 'client_name', type: 'text' })
  clientName!: string;

  @Column({ type: 'text' })
  action!: 'created' | 'revoked';

  @Column({ name: 'actor_type', type: 'text' })
  actorType!: 'admin' | 'token' | 'system';

  @Column({ name: 'actor_id', type: 'text' })
  actorId!: string;

  @Column({ name: 'actor_email', type: 'text', nullable: true })
  actorEmail!: string | null;

  /** `system` for rows stored before the column existed. */
  @Column({ type: 'text', default: 'system' })
  source!: 'ui' | 'api' | 'system';

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
