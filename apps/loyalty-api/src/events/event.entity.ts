import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LoyaltyAction } from '@loyalty-edge/loyalty-contracts';
import { bigintAsNumber } from '../columns.js';

export type EventSource = 'api' | 'bulk' | 'async';

/** One applied event, kept as the customer's history (rejected events are not stored). */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ type: 'text' })
  action!: LoyaltyAction;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  points!: number | null;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ type: 'text', nullable: true })
  account!: string | null;

  @Column({ type: 'text' })
  source!: EventSource;

  @Column({ name: 'correlation_id', type: 'uuid', nullable: true })
  correlationId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
