// Compatible permission changes. nats-server applies a permission change at once and drops the
// subscriptions it no longer allows, so the permissions an upgrade installs must still grant what
// the pods of the previous release use until the rollout has replaced them. The chart therefore
// gets the union of the current matrix (permissions.mjs) and a snapshot of the previous release's
// (permissions.previous.json, `render.mjs --snapshot`): an upgrade only ever widens, and a
// narrowing takes effect one release later, once the snapshot no longer holds the subject.
//
// Both sets are in the chart's JSON form (chartJson: placeholders `{P}`, `{INBOX}`); subjects are
// compared with the placeholders filled in, per user, with NATS wildcard semantics.

/**
 * Subjects of one direction, with placeholders.
 * @typedef {{ allow: string[], deny: string[] }} Rules
 */

/**
 * One user in the chart's JSON form.
 * @typedef {object} ChartUser
 * @property {string} name
 * @property {string} summary
 * @property {string} passwordVariable
 * @property {boolean} allowResponses
 * @property {Rules} publish
 * @property {Rules} subscribe
 */

/**
 * A permission set in the chart's JSON form.
 * @typedef {{ account: string, users: ChartUser[] }} PermissionSet
 */

/**
 * Fills in the placeholders of one user's subject.
 * @typedef {(subject: string, user: string) => string} Expand
 */

/**
 * Does every subject `specific` matches also match `general`? (`*` one token, `>` the rest)
 * @param {string} general
 * @param {string} specific
 */
export function covers(general, specific) {
  const g = general.split('.');
  const s = specific.split('.');
  for (let i = 0; i < g.length; i += 1) {
    if (g[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (s[i] === '>') return false;
    if (g[i] !== '*' && g[i] !== s[i]) return false;
  }
  return g.length === s.length;
}

/**
 * Is there a subject both patterns match?
 * @param {string} a
 * @param {string} b
 */
export function overlaps(a, b) {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
  return x.length === y.length;
}

/** @type {('publish' | 'subscribe')[]} */
const DIRECTIONS = ['publish', 'subscribe'];
/** @param {string[]} items */
const unique = (items) => [...new Set(items)];

/**
 * The union of `current` and `previous` (chart JSON), user by user: every allow of either, the
 * responder flag of either, and the denies of `current` except a new one that would take away
 * something `previous` allowed (it waits for the next snapshot). Users only in `previous` stay.
 * `expand(subject, user)` fills in the placeholders for comparisons.
 * @template {PermissionSet} S
 * @param {S} current
 * @param {PermissionSet | undefined} previous
 * @param {Expand} expand
 */
export function unionPermissions(current, previous, expand) {
  /** @type {{ user: string, direction: string, subject: string }[]} */
  const deferred = [];
  if (!previous) return { ...current, deferredDenies: deferred };
  const before = new Map(previous.users.map((u) => [u.name, u]));
  /**
   * @param {ChartUser} user
   * @param {ChartUser | undefined} old
   * @returns {ChartUser}
   */
  const merge = (user, old) => {
    if (!old) return user;
    const merged = { ...user, allowResponses: user.allowResponses || old.allowResponses };
    for (const direction of DIRECTIONS) {
      const oldAllow = old[direction].allow.map((s) => expand(s, user.name));
      const deny = user[direction].deny.filter((subject) => {
        if (old[direction].deny.includes(subject)) return true;
        const blocks = oldAllow.some((allowed) => overlaps(expand(subject, user.name), allowed));
        if (blocks) deferred.push({ user: user.name, direction, subject });
        return !blocks;
      });
      merged[direction] = {
        allow: unique([...user[direction].allow, ...old[direction].allow]),
        deny,
      };
    }
    return merged;
  };
  const names = new Set(current.users.map((u) => u.name));
  return {
    ...current,
    users: [
      ...current.users.map((user) => merge(user, before.get(user.name))),
      ...previous.users
        .filter((u) => !names.has(u.name))
        .map((u) => ({ ...u, summary: `${u.summary} (previous release only)` })),
    ],
    deferredDenies: deferred,
  };
}

/**
 * What `granted` fails to grant of `wanted` (both chart JSON): for each user of `wanted`, every
 * allowed subject must be covered by an allow of `granted` and hit by no deny of `granted` that
 * `wanted` did not have itself; the responder flag and the password variable must be kept.
 * `denies: true` also wants every deny of `wanted` (the current matrix, once nothing is deferred).
 * @param {PermissionSet} wanted
 * @param {PermissionSet} granted
 * @param {Expand} expand
 * @returns {string[]}
 */
export function missingGrants(wanted, granted, expand, { denies = false } = {}) {
  const problems = [];
  const byName = new Map(granted.users.map((u) => [u.name, u]));
  for (const user of wanted.users) {
    const has = byName.get(user.name);
    if (!has) {
      problems.push(`${user.name}: user missing`);
      continue;
    }
    if (has.passwordVariable !== user.passwordVariable)
      problems.push(`${user.name}: password variable ${has.passwordVariable}`);
    if (user.allowResponses && !has.allowResponses)
      problems.push(`${user.name}: allow_responses taken away`);
    for (const direction of DIRECTIONS) {
      /** @param {string} s */
      const x = (s) => expand(s, user.name);
      const allow = has[direction].allow.map(x);
      const deny = has[direction].deny.filter((s) => !user[direction].deny.includes(s)).map(x);
      for (const subject of user[direction].allow) {
        if (!allow.some((a) => covers(a, x(subject))))
          problems.push(`${user.name}: ${direction} ${subject} not allowed`);
        const blocking = deny.filter((d) => overlaps(d, x(subject)));
        if (blocking.length > 0)
          problems.push(`${user.name}: ${direction} ${subject} denied by ${blocking.join(', ')}`);
      }
      if (denies) {
        for (const subject of user[direction].deny) {
          if (!has[direction].deny.includes(subject))
            problems.push(`${user.name}: ${direction} deny ${subject} missing`);
        }
      }
    }
  }
  return problems;
}
