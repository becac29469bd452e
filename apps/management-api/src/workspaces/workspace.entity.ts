import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'workspaces' })
export class WorkspaceEntity {
  /** A slug (WORKSPACE_ID); the tenancy key in every service. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'ip_filter', type: 'boolean' })
  ipFilter!: boolean;

  @Column({ name: 'signature_check', type: 'boolean' })
  signatureCheck!: boolean;

  @Column({ name: 'async_events', type: 'boolean' })
  asyncEvents!: boolean;

  /** Raised by every module switch; a switch names it in `If-Match`. */
  @Column({ name: 'modules_revision', type: 'integer', default: 1 })
  modulesRevision!: number;

  /** Raised by every change of members or pending invitations. */
  @Column({ name: 'members_revision', type: 'integer', default: 1 })
  membersRevision!: number;

  /** Requests per minute per API key and auth client; null: the gateways' default. */
  @Column({ name: 'rate_limit_per_minute', type: 'integer', nullable: true })
  rateLimitPerMinute!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
