import type { DataSource } from 'typeorm';
import { ChainHeadEntity } from '../store/chain-head.entity.js';
import { workspaceMatch, type ChainLog } from './chain-logs.js';

/**
 * Purges the entries of one log that are past `cutoff`, chain by chain, from each chain's
 * start: only a prefix of a chain is ever deleted (an old entry behind a newer one waits for
 * it), and each batch moves the chain's start (`start_seq`, `start_hash`: the position and
 * previous hash of the first kept entry) in the same transaction, so the rest still verifies.
 * Rows stored before chaining began (no `seq`) go by time alone. Returns the rows deleted.
 */
export async function purgeChains(
  dataSource: DataSource,
  log: ChainLog,
  cutoff: string,
  batchSize: number,
): Promise<number> {
  const table = dataSource.getMetadata(log.entity).tablePath;
  const heads = dataSource.getMetadata(ChainHeadEntity).tablePath;
  let total = 0;
  for (;;) {
    const [, count] = await dataSource.query<[unknown, number]>(
      `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE seq IS NULL AND at < $1 LIMIT $2)`,
      [cutoff, batchSize],
    );
    total += count;
    if (count < batchSize) break;
  }
  const chains = await dataSource.query<{ workspace: string }[]>(
    `SELECT workspace FROM ${heads} WHERE log = $1 AND start_seq <= seq`,
    [log.name],
  );
  for (const { workspace } of chains) {
    for (;;) {
      const deleted = await dataSource.transaction(async (manager) => {
        const [head] = await manager.query<{ start_seq: string }[]>(
          `SELECT start_seq FROM ${heads} WHERE log = $1 AND workspace = $2 FOR UPDATE`,
          [log.name, workspace],
        );
        if (!head) return 0;
        const params: unknown[] = [head.start_seq, batchSize];
        const rows = await manager.query<{ seq: string; hash: string; old: boolean }[]>(
          `SELECT seq, hash, at < $${params.push(cutoff)} AS old FROM ${table}
           WHERE ${workspaceMatch(workspace, params)} AND seq >= $1 ORDER BY seq LIMIT $2`,
          params,
        );
        const cut = rows.findIndex((row) => !row.old);
        const last = rows[(cut === -1 ? rows.length : cut) - 1];
        if (!last) return 0;
        const where: unknown[] = [head.start_seq, last.seq];
        const [, count] = await manager.query<[unknown, number]>(
          `DELETE FROM ${table} WHERE ${workspaceMatch(workspace, where)} AND seq >= $1 AND seq <= $2`,
          where,
        );
        await manager.query(
          `UPDATE ${heads} SET start_seq = $3, start_hash = $4 WHERE log = $1 AND workspace = $2`,
          [log.name, workspace, Number(last.seq) + 1, last.hash],
        );
        return count;
      });
      total += deleted;
      if (deleted < batchSize) break;
    }
  }
  return total;
}
