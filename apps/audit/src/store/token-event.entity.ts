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

  /** The OAuth2 error name of a refusal (`invalid_client`, ...). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'text', nullable: true })
  scope!: string | null;

  @Column({ type: 'text', nullable: true })
  audience!: string | null;

  @Column({ type: 'text', nullable: true })
  jti!: string | null;

  @Column({ name: 'client_ip', type: 'text' })
  clientIp!: string;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
