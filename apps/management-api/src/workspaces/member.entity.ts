import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MemberRole } from '@loyalty-edge/management-contracts';

/** An admin's role on one workspace. */
@Entity({ name: 'members' })
export class MemberEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ name: 'admin_id', type: 'uuid' })
  adminId!: string;

  @Column({ type: 'text' })
  role!: MemberRole;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
