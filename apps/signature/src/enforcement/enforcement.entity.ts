import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'enforcement' })
export class EnforcementEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @Column({ type: 'text', array: true })
  apis!: string[];

  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}
