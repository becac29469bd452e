import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChainLogReport, ChainVerification } from '@loyalty-edge/audit-contracts';
import { ChainAnchorEntity, ChainHeadEntity } from '../store/chain-head.entity.js';
import { anchorValid, type AnchorContent } from './anchors.js';
import { canonicalEntry, GENESIS_HASH } from './canonical.js';
import { CHAIN_LOGS, fieldsOf, workspaceMatch, type ChainLog } from './chain-logs.js';
import { CHAIN_SETTINGS, type ChainSettings } from './chain-settings.js';
import { checkEnd, checkEntry, type WalkState } from './walk.js';

const PAGE = 2000;

interface Anchor {
  readonly at: string;
  readonly heads: AnchorContent['heads'];
  readonly valid: boolean;
}

/**
 * Walks every hash chain of a workspace from its start (retention moves it) to its head, in one
 * consistent snapshot, and reports the entries per log or the first broken link of each.
 */
@Injectable()
export class ChainVerifier {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CHAIN_SETTINGS) private readonly settings: ChainSettings,
  ) {}

  async verify(workspaceId: string): Promise<ChainVerification> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const anchor = await this.newestAnchor(manager, workspaceId);
      const logs: ChainLogReport[] = [];
      for (const log of CHAIN_LOGS) logs.push(await this.walk(manager, log, workspaceId, anchor));
      return {
        workspaceId,
        ok: logs.every((report) => report.broken === null),
        anchoredAt: anchor?.at ?? null,
        logs,
      };
    });
  }

  private async walk(
    manager: EntityManager,
    log: ChainLog,
    workspace: string,
    anchor: Anchor | undefined,
  ): Promise<ChainLogReport> {
    const table = this.dataSource.getMetadata(log.entity).tablePath;
    const heads = this.dataSource.getMetadata(ChainHeadEntity).tablePath;
    const [head] = await manager.query<
      { seq: string; hash: string; start_seq: string; start_hash: string }[]
    >(`SELECT seq, hash, start_seq, start_hash FROM ${heads} WHERE log = $1 AND workspace = $2`, [
      log.name,
      workspace,
    ]);
    const state: WalkState = {
      next: head ? Number(head.start_seq) : 1,
      previous: head?.start_hash ?? GENESIS_HASH,
      entries: 0,
    };
    const firstSeq = state.next;
    const anchored = anchor?.valid ? anchor.heads[log.name] : undefined;
    const report = (broken: ChainLogReport['broken'], unchained: number): ChainLogReport => ({
      log: log.name,
      entries: state.entries,
      firstSeq,
      lastSeq: state.next - 1,
      anchoredSeq: anchored && anchored.seq >= firstSeq ? anchored.seq : null,
      unchained,
      broken,
    });
    const unchained = await this.unchained(manager, table, workspace);
    if (anchor && !anchor.valid) {
      return report(
        {
          kind: 'altered',
          seq: state.next,
          id: null,
          detail: "the newest anchor's signature is invalid",
        },
        unchained,
      );
    }
    const limit = head ? Number(head.seq) : Number.MAX_SAFE_INTEGER;
    const select = [...log.columns, 'seq', 'prev_hash', 'hash'].join(', ');
    const followedBy = async (hash: string, after: number): Promise<boolean> => {
      const params: unknown[] = [hash, after];
      const rows = await manager.query<unknown[]>(
        `SELECT 1 FROM ${table} WHERE ${workspaceMatch(workspace, params)} AND seq > $2 AND hash = $1 LIMIT 1`,
        params,
      );
      return rows.length > 0;
    };
    let cursor = state.next;
    for (;;) {
      const params: unknown[] = [cursor, limit, PAGE];
      const rows = await manager.query<Record<string, unknown>[]>(
        `SELECT ${select} FROM ${table}
         WHERE ${workspaceMatch(workspace, params)} AND seq >= $1 AND seq <= $2
         ORDER BY seq LIMIT $3`,
        params,
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        const broken = await checkEntry(
          state,
          {
            seq,
            id: String(row.id),
            prevHash: String(row.prev_hash),
            hash: String(row.hash),
            canonical: canonicalEntry(
              log.name,
              workspace,
              fieldsOf(
                log,
                log.columns.map((c) => row[c]),
              ),
            ),
          },
          followedBy,
          anchored,
        );
        if (broken) return report(broken, unchained);
        cursor = seq + 1;
      }
      if (rows.length < PAGE) break;
    }
    const end = checkEnd(
      state,
      head ? { seq: Number(head.seq), hash: head.hash } : undefined,
      anchored && anchor ? { seq: anchored.seq, at: anchor.at } : undefined,
    );
    return report(end, unchained);
  }

  private async unchained(
    manager: EntityManager,
    table: string,
    workspace: string,
  ): Promise<number> {
    const params: unknown[] = [];
    const [row] = await manager.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM ${table} WHERE ${workspaceMatch(workspace, params)} AND seq IS NULL`,
      params,
    );
    return Number(row?.n ?? 0);
  }

  /** The workspace's newest anchor, checked against the key (none without a key). */
  private async newestAnchor(
    manager: EntityManager,
    workspace: string,
  ): Promise<Anchor | undefined> {
    const key = this.settings.anchorKey;
    if (!key) return undefined;
    const table = this.dataSource.getMetadata(ChainAnchorEntity).tablePath;
    const [row] = await manager.query<{ at: Date; heads: AnchorContent['heads']; mac: string }[]>(
      `SELECT at, heads, mac FROM ${table} WHERE workspace = $1 ORDER BY id DESC LIMIT 1`,
      [workspace],
    );
    if (!row) return undefined;
    const at = row.at.toISOString();
    return {
      at,
      heads: row.heads,
      valid: anchorValid(key, { workspace, at, heads: row.heads }, row.mac),
    };
  }
}
