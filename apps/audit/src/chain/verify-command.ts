import type { ChainVerification } from '@loyalty-edge/audit-contracts';

/** `--workspace <id>` (or `--workspace=<id>`) of the verify command. */
export function workspaceArgument(args: readonly string[]): string {
  for (const [index, arg] of args.entries()) {
    if (arg.startsWith('--workspace=')) return arg.slice('--workspace='.length);
    if (arg === '--workspace' && args[index + 1] !== undefined) return args[index + 1] ?? '';
  }
  throw new Error('usage: verify --workspace <workspace id>');
}

/**
 * The verify command's output: `ok` and the entries per log, or for each broken log the first
 * bad link (position, event id, kind and why).
 */
export function verifyReport(result: ChainVerification): string {
  const lines = [`${result.ok ? 'ok' : 'BROKEN'} workspace ${result.workspaceId}`];
  for (const log of result.logs) {
    const anchored = log.anchoredSeq === null ? '' : `, anchored at ${log.anchoredSeq}`;
    const unchained = log.unchained > 0 ? `, ${log.unchained} stored before chaining` : '';
    const range = log.entries > 0 ? ` (seq ${log.firstSeq}..${log.lastSeq}${anchored})` : '';
    lines.push(`  ${log.log}: ${log.entries} entries${range}${unchained}`);
    if (log.broken) {
      const { kind, seq, id, detail } = log.broken;
      lines.push(
        `    ${kind} at ${log.log} seq ${seq}${id === null ? '' : ` id ${id}`}: ${detail}`,
      );
    }
  }
  if (result.anchoredAt !== null) lines.push(`  newest anchor ${result.anchoredAt}`);
  return `${lines.join('\n')}\n`;
}
