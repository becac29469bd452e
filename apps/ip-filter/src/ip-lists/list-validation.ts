import { isApiId, type ApiId } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import {
  IP_FILTER_LIMITS,
  IpFilterErrorCodes,
  type IpFilterEntry,
  type IpListProblem,
  type MergedEntries,
} from '@loyalty-edge/ip-filter-contracts';
import { parseEntry } from '@loyalty-edge/ip-range';

/** A list that passed validation: unique by normalized form, in the order first typed. */
export interface ValidList {
  readonly api: ApiId;
  readonly entries: readonly IpFilterEntry[];
  readonly merged: readonly MergedEntries[];
}

function refuse(code: number, message: string, fields: readonly IpListProblem[]): AppError {
  return new AppError('invalid', code, message, { fields });
}

/** The api as a catalog id, or an `invalid` error with reason `unknown-api`. */
export function checkApi(api: string): ApiId {
  if (isApiId(api)) return api;
  const message = `"${api.slice(0, 64)}" is not an API of the catalog`;
  throw refuse(IpFilterErrorCodes.unknownApi, message, [
    { field: 'api', message, reason: 'unknown-api' },
  ]);
}

function parseOne(text: string, field: string): IpFilterEntry | IpListProblem {
  const trimmed = text.trim();
  if (trimmed.length > IP_FILTER_LIMITS.entryLength) {
    const message = `The entry is longer than ${IP_FILTER_LIMITS.entryLength} characters`;
    return { field, message, reason: 'too-long' };
  }
  const parsed = parseEntry(trimmed);
  if (!parsed.ok) return { field, message: parsed.message, reason: parsed.reason };
  const { input, normalized } = parsed.entry;
  return { input, normalized, hostBitsCleared: parsed.hostBitsCleared };
}

/**
 * Validates a whole proposed list. Refuses it when any entry is invalid (every one listed as
 * `entries[i]`, with its reason) or when there are more than `maxEntries`; merges duplicates.
 */
export function validateList(
  request: { readonly api: string; readonly entries: readonly string[] },
  maxEntries: number,
): ValidList {
  const api = checkApi(request.api);
  const count = request.entries.length;
  if (count > maxEntries) {
    const message = `A list holds at most ${maxEntries} entries; got ${count}`;
    throw refuse(IpFilterErrorCodes.invalidList, message, [
      { field: 'entries', message, reason: 'too-many-entries' },
    ]);
  }
  const problems: IpListProblem[] = [];
  const unique = new Map<string, { entry: IpFilterEntry; inputs: string[] }>();
  request.entries.forEach((text, index) => {
    const result = parseOne(text, `entries[${index}]`);
    if ('reason' in result) {
      problems.push(result);
      return;
    }
    const seen = unique.get(result.normalized);
    if (seen) seen.inputs.push(result.input);
    else unique.set(result.normalized, { entry: result, inputs: [result.input] });
  });
  if (problems.length > 0) {
    const message = `${problems.length} of ${count} entries are invalid; nothing was saved`;
    throw refuse(IpFilterErrorCodes.invalidList, message, problems);
  }
  const kept = [...unique.values()];
  return {
    api,
    entries: kept.map(({ entry }) => entry),
    merged: kept
      .filter(({ inputs }) => inputs.length > 1)
      .map(({ entry, inputs }) => ({ normalized: entry.normalized, inputs })),
  };
}

/** Refuses a list that would take the workspace past its total; `others` = its other lists. */
export function checkWorkspaceTotal(others: number, added: number, maxTotal: number): void {
  if (others + added <= maxTotal) return;
  const message = `A workspace holds at most ${maxTotal} entries over all APIs; this list would make ${others + added}`;
  throw refuse(IpFilterErrorCodes.invalidList, message, [
    { field: 'entries', message, reason: 'too-many-entries' },
  ]);
}
