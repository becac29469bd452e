import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Requests per (workspace, API, client IP, UTC day), summed from `AuditEvents.clientIps`. */
@Entity({ name: 'client_ip_counts' })
export class ClientIpCountEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  api!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'text' })
  ip!: string;

  @Column({ type: 'bigint' })
  requests!: string;
}

/**
 * The ids of the count events already added to `client_ip_counts`: adding is not idempotent by
 * itself, so a redelivered event is recognised here and skipped.
 */
@Entity({ name: 'client_ip_events' })
export class ClientIpEventEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
