// The clients of the permission check (deploy/nats/check.mjs): one connection per service user,
// opened as the apps open it, requests served as the apps serve them, and how a refusal shows.
import { setTimeout as delay } from 'node:timers/promises';
import { NatsLink, ensureStream, kvGet } from '@loyalty-edge/nats';
import { STREAMS } from '@loyalty-edge/contracts';
import { AUDIT_EVENT_SUBJECTS } from '@loyalty-edge/audit-contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { RATE_COUNTS_SUBJECT } from '@loyalty-edge/gateway-contracts';

/** The NATS prefix the permissions are rendered for and the clients use. */
export const PREFIX = 'le';
/** The request that carries a secret: only signature may make it, only credentials answer it. */
export const RESOLVE_SUBJECT = `${PREFIX}.${CredentialsRpc.resolveSecret.subject}`;
/** Where gateway replicas share their rate-limit counts (core NATS). */
export const RATE_SUBJECT = `${PREFIX}.${RATE_COUNTS_SUBJECT}`;

const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/** @param {unknown} value */
export const payload = (value) => encoder.encode(JSON.stringify(value));

/**
 * One service's connection, exactly as the apps open it (`NatsLink.open`: replies on
 * `_INBOX_<user>`), with NATS_JS_REPLICAS = `replicas`.
 * @param {string} user
 * @param {string} servers
 * @param {Record<string, string>} passwords
 */
export function openLink(user, servers, passwords, replicas = 1) {
  return NatsLink.open(
    {
      url: servers,
      prefix: PREFIX,
      user,
      password: passwords[user],
      requestTimeoutMs: 2000,
      replicas,
    },
    user,
  );
}

/**
 * The AUDIT stream as the audit service ensures it: narrowed to the audit events.
 * @param {NatsLink} link
 */
export function ensureAuditStream(link) {
  return ensureStream(
    link,
    { name: STREAMS.audit.name, subjects: AUDIT_EVENT_SUBJECTS },
    7 * 86_400,
  );
}

/**
 * Serves `subjects` like NatsRpcServer: queue group `<prefix>.<service>`, `{ok: result}` replies.
 * @param {NatsLink} link
 * @param {string} service
 */
export function serve(link, service, handlers) {
  const counts = {};
  for (const [subject, handler] of Object.entries(handlers)) {
    counts[subject] = 0;
    link.connection.subscribe(link.subject(subject), {
      queue: link.subject(service),
      callback: (error, message) => {
        if (error) return;
        counts[subject] += 1;
        const request = JSON.parse(decoder.decode(message.data) || 'null');
        void Promise.resolve(handler(request, message.reply)).then((ok) =>
          message.respond(encoder.encode(JSON.stringify({ ok }))),
        );
      },
    });
  }
  return counts;
}

export function describe(error) {
  return `${error?.name ?? 'Error'}: ${String(error?.message ?? error).split('\n')[0]}`;
}

/**
 * Resolves to a description of why `promise` was refused; throws when it succeeded.
 * @param {Promise<unknown>} promise
 * @param {string} what
 */
export async function refused(promise, what) {
  try {
    await promise;
  } catch (error) {
    const text = describe(error);
    if (/permission/i.test(text)) return 'permissions violation';
    if (/timeout|timed out/i.test(text)) return 'dropped by the server (timeout)';
    return text;
  }
  throw new Error(`${what} was allowed`);
}

/**
 * Subscribes and reports whether the server refused the subscription.
 * @param {NatsLink} link
 * @param {string} subject
 */
export async function subscriptionRefused(link, subject) {
  const sub = link.connection.subscribe(subject);
  const outcome = await Promise.race([
    sub.closed.then(
      (value) => (value instanceof Error ? describe(value) : 'closed'),
      (error) => describe(error),
    ),
    delay(1000).then(() => undefined),
  ]);
  if (!sub.isClosed()) sub.unsubscribe();
  if (outcome === undefined) throw new Error(`subscribing to ${subject} was allowed`);
  return /permission/i.test(outcome) ? 'permissions violation' : outcome;
}

/**
 * Reads a key back after a put. In a cluster a direct get may be answered by a replica that has
 * not applied the put yet (KV reads are eventually consistent), so it polls for up to 2 s.
 */
export async function readBack(kv, key) {
  const started = Date.now();
  for (;;) {
    const value = await kvGet(kv, key);
    if (value !== undefined || Date.now() - started > 2000) return value;
    await delay(20);
  }
}

/**
 * Resolves to the milliseconds until `predicate` held.
 * @param {() => boolean} predicate
 * @param {number} timeoutMs
 * @param {string} what
 */
export function waitFor(predicate, timeoutMs, what) {
  const started = Date.now();
  return (async () => {
    while (!predicate()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await delay(10);
    }
    return Date.now() - started;
  })();
}
