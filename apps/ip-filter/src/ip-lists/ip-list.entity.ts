import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { IpFilterEntry } from '@loyalty-edge/ip-filter-contracts';

/** One API's allow-list of one workspace; replaced whole on every update. */
@Entity({ name: 'ip_lists' })
export class IpListEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  api!: string;

  /** In the order first typed, unique by `normalized`. */
  @Column({ type: 'jsonb' })
  entries!: IpFilterEntry[];

  /** The workspace revision this list was saved at; the record's revision is the maximum. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}
