import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FailedCallEvent } from '@loyalty-edge/audit-contracts';

/** A failed API call (`AuditEvents.failedCall`): bodies as jsonb, the request line as columns. */
@Entity({ name: 'failed_calls' })
export class FailedCallEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text', nullable: true })
  workspaceId!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text', nullable: true })
  api!: string | null;

  @Column({ type: 'integer' })
  status!: number;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'client_ip', type: 'text' })
  clientIp!: string;

  @Column({ type: 'text' })
  method!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'jsonb' })
  request!: FailedCallEvent['request'];

  @Column({ type: 'jsonb' })
  response!: FailedCallEvent['response'];
}
