import type { ChangeEvent } from '../api/endpoints.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** IP list and enforcement changes keep their lists before and after: shown as a diff. */
export function hasListDiff(change: ChangeEvent): boolean {
  return isStrings(change.before) && isStrings(change.after);
}

/** `key: before → after` for each top-level field that changed, when both sides are objects. */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key}: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
}

/** What a list change added (+) and removed (−), inline. */
export function ChangeDiff({ change }: { change: ChangeEvent }) {
  const { before, after } = change;
  if (!isStrings(before) || !isStrings(after)) return null;
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  if (added.length === 0 && removed.length === 0) {
    return <div className="change-line muted">No entry changed</div>;
  }
  return (
    <ul className="diff" aria-label="Changed entries">
      {added.map((item) => (
        <li key={`+${item}`} className="diff-added">
          <span aria-hidden="true">+ </span>
          <span className="visually-hidden">added </span>
          <code>{item}</code>
        </li>
      ))}
      {removed.map((item) => (
        <li key={`-${item}`} className="diff-removed">
          <span aria-hidden="true">− </span>
          <span className="visually-hidden">removed </span>
          <code>{item}</code>
        </li>
      ))}
    </ul>
  );
}
