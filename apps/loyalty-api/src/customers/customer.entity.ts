import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CustomerStatus } from '@loyalty-edge/loyalty-contracts';
import { bigintAsNumber } from '../columns.js';

/** The customer aggregate: current state after every applied event. */
@Entity({ name: 'customers' })
export class CustomerEntity {
  @PrimaryColumn({ name: 'workspace_id', type: 'text' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  status!: CustomerStatus;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** `YYYY-MM-DD` (TypeORM keeps `date` columns as strings). */
  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  score!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  spent!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  spendable!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
