import { FAILED_CALL_LIMITS } from '@loyalty-edge/audit-contracts';

/**
 * Fits what the gateway captured of a failed call into FAILED_CALL_LIMITS, so the audit service
 * stores every record: control characters escaped (PostgreSQL stores no NUL, and a terminal or
 * log viewer should not run escape sequences from a caller), over-long text cut with a marker.
 * Runs on redacted text only: cutting or escaping can never bring a secret back.
 */
export const CUT_MARK = '…[truncated]';

/** C0 controls but tab, line feed and carriage return, and DEL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** `text` with control characters written as `\u00XX`. */
export function escapeControls(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `text` cut to at most `max` characters, the last of them the cut mark; undefined when it fits. */
export function cut(text: string, max: number): string | undefined {
  if (text.length <= max) return undefined;
  let end = Math.max(0, max - CUT_MARK.length);
  // never split a surrogate pair: half of one is not storable text
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${CUT_MARK}`;
}

/** Escapes, then cuts `text` to `max`: the text, and whether anything was cut. */
export function fitText(text: string, max: number): { text: string; cut: boolean } {
  const escaped = escapeControls(text);
  const shortened = cut(escaped, max);
  return shortened === undefined ? { text: escaped, cut: false } : { text: shortened, cut: true };
}

/**
 * At most FAILED_CALL_LIMITS.headers entries, names and values cut to their limits and escaped;
 * `cut` when anything was left out or shortened.
 */
export function fitHeaders(headers: Readonly<Record<string, string>>): {
  headers: Record<string, string>;
  cut: boolean;
} {
  const limits = FAILED_CALL_LIMITS;
  // no prototype: a header named `__proto__` or `constructor` is a header like any other
  const out = Object.create(null) as Record<string, string>;
  let kept = 0;
  let shortened = false;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (kept === limits.headers) {
      shortened = true;
      break;
    }
    const name = fitText(rawName, limits.headerName);
    const value = fitText(rawValue, limits.headerValue);
    shortened ||= name.cut || value.cut;
    if (Object.hasOwn(out, name.text)) {
      // two long names alike up to the cut: the first one is kept
      shortened = true;
      continue;
    }
    out[name.text] = value.text;
    kept += 1;
  }
  return { headers: out, cut: shortened };
}
