import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One token request at /v1/auth/token (`AuditEvents.token`). */
@Entity({ name: 'token_events' })
export class TokenEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text', nullable: true })
  workspaceId!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @Column({ type: 'text' })
  outcome!: 'issued' | 'error';

  @Column({ name: 'error_code', type: 'integer', nullable: true })
  errorCode!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text', nullable: true })
  scope!: string | null;

  @Column({ type: 'text', nullable: true })
  jti!: string | null;

  @Column({ name: 'client_ip', type: 'text' })
  clientIp!: string;
}
