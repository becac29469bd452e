import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  AsyncEventStatus,
  EventError,
  EventRequest,
  EventResponse,
} from '@loyalty-edge/loyalty-contracts';

/** An event accepted by the Async Events API; the row is the truth, the message a nudge. */
@Entity({ name: 'async_events' })
export class AsyncEventEntity {
  @PrimaryColumn({ name: 'correlation_id', type: 'uuid' })
  correlationId!: string;

  @Column({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  /** The auth client that sent it (from the gateway's `x-le-client-id`). */
  @Column({ name: 'client_id', type: 'text', nullable: true })
  clientId!: string | null;

  @Column({ type: 'jsonb' })
  request!: EventRequest;

  /** Always null: a `callback_url` is refused (README "Async events"); kept for old rows. */
  @Column({ name: 'callback_url', type: 'text', nullable: true })
  callbackUrl!: string | null;

  @Column({ type: 'text' })
  status!: AsyncEventStatus;

  @Column({ type: 'jsonb', nullable: true })
  result!: EventResponse | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: EventError | null;

  /** Processing attempts by the worker. */
  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'publish_attempts', type: 'integer' })
  publishAttempts!: number;

  @Column({ name: 'last_publish_at', type: 'timestamptz' })
  lastPublishAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
