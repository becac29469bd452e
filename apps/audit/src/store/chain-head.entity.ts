import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The newest entry of one hash chain (one per workspace per log), locked by each batch that
 * appends to it; and where the chain starts now that retention has purged its oldest entries.
 */
@Entity({ name: 'chain_heads' })
export class ChainHeadEntity {
  @PrimaryColumn({ type: 'text' })
  log!: string;

  /** The workspace id, or `_` for records of no workspace. */
  @PrimaryColumn({ type: 'text' })
  workspace!: string;

  /** The newest entry's position (0: none yet). */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  hash!: string;

  /** The oldest kept entry's position, and the hash it follows. */
  @Column({ name: 'start_seq', type: 'bigint' })
  startSeq!: string;

  @Column({ name: 'start_hash', type: 'text' })
  startHash!: string;
}

/** A signed copy of a workspace's chain heads (HMAC-SHA256 under AUDIT_ANCHOR_KEY). */
@Entity({ name: 'chain_anchors' })
export class ChainAnchorEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  workspace!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** `{ <log>: { seq, hash } }` */
  @Column({ type: 'jsonb' })
  heads!: unknown;

  @Column({ type: 'text' })
  mac!: string;
}
