import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An admin account: workspace admins, viewers and operators log in with one. */
@Entity({ name: 'admins' })
export class AdminEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored trimmed and lowercased; unique. */
  @Column({ type: 'text', unique: true })
  email!: string;

  /** `scrypt$...` (see password-hasher.ts); never returned or logged. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** Operators create workspaces, switch modules and see every workspace. */
  @Column({ type: 'boolean' })
  operator!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;
}
