// The reply inboxes in the permission check (deploy/nats/check.mjs): each user receives on
// `_INBOX_<user>` only (as the servers' /connz and /jsz show), and no one but signature can read
// the reply that carries a secret.
import { setTimeout as delay } from 'node:timers/promises';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { USERS, inboxFor } from '../permissions.mjs';
import { check } from '../platform-checks.mjs';
import { PREFIX, decoder, describe, subscriptionRefused } from './clients.mjs';

/** @typedef {import('@loyalty-edge/nats').NatsLink} NatsLink */

/**
 * @typedef {{ authorized_user?: string, subscriptions_list_detail?: { subject: string }[] }} Connection
 * @typedef {{ connections?: Connection[] }} Connz
 */

/**
 * Subjects of every client subscription, by NATS user, from the servers' /connz.
 * @param {number[]} monitors
 */
async function subscriptionsByUser(monitors) {
  /** @type {Map<string, string[]>} */
  const byUser = new Map();
  for (const port of monitors) {
    const res = await fetch(`http://127.0.0.1:${port}/connz?subs=detail&auth=true&limit=1024`);
    const connz = /** @type {Connz} */ (await res.json());
    for (const connection of connz.connections ?? []) {
      const user = connection.authorized_user;
      if (!user) continue;
      const subjects = (connection.subscriptions_list_detail ?? []).map((sub) => sub.subject);
      byUser.set(user, [...(byUser.get(user) ?? []), ...subjects]);
    }
  }
  return byUser;
}

/**
 * @typedef {{ config?: { deliver_subject?: string } }} ConsumerDetail
 * @typedef {{ account_details?: { stream_detail?: { consumer_detail?: ConsumerDetail[] }[] }[] }} Jsz
 */

/**
 * The deliver subject of every push consumer of the account, from the servers' /jsz.
 * @param {number[]} monitors
 */
async function deliverSubjects(monitors) {
  const subjects = new Set();
  for (const port of monitors) {
    const res = await fetch(
      `http://127.0.0.1:${port}/jsz?accounts=true&streams=true&consumers=true&config=true`,
    );
    const jsz = /** @type {Jsz} */ (await res.json());
    for (const account of jsz.account_details ?? []) {
      for (const stream of account.stream_detail ?? []) {
        for (const consumer of stream.consumer_detail ?? []) {
          if (consumer.config?.deliver_subject) subjects.add(consumer.config.deliver_subject);
        }
      }
    }
  }
  return [...subjects];
}

/**
 * @param {(name: string) => NatsLink} link a connected user
 * @param {number[]} monitors the servers' monitoring ports
 * @param {import('./owners.mjs').Owners} owners
 */
export async function inboxes(link, monitors, { secretReplyTo, signatureRpc }) {
  const gateway = link('gateway');
  await check("credentials: answers signature's secret.resolve on _INBOX_signature.…", () => {
    const elsewhere = secretReplyTo.filter((reply) => !reply?.startsWith('_INBOX_signature.'));
    if (secretReplyTo.length === 0 || elsewhere.length > 0)
      throw new Error(`replies to ${elsewhere.join(', ') || 'nothing'}`);
    return `${secretReplyTo.length} request(s)`;
  });
  await check(
    "every connection subscribes only to its user's inbox and its own service subjects",
    async () => {
      const byUser = await subscriptionsByUser(monitors);
      const problems = [];
      let count = 0;
      for (const { name } of USERS) {
        const own = inboxFor(name).slice(0, -1); // `_INBOX_<user>.`
        for (const subject of byUser.get(name) ?? []) {
          count += 1;
          if (!subject.startsWith(own) && !subject.startsWith(`${PREFIX}.${name}.`))
            problems.push(`${name}: ${subject}`);
        }
        if (!(byUser.get(name) ?? []).some((subject) => subject.startsWith(own)))
          problems.push(`${name}: no subscription on ${own}…`);
      }
      if (problems.length > 0) throw new Error(problems.join(', '));
      return `${count} subscriptions of ${USERS.length} users, from /connz`;
    },
  );
  await check(
    "every push consumer (KV watch, keys) delivers to its user's inbox, none to _INBOX.",
    async () => {
      const delivered = await deliverSubjects(monitors);
      const users = USERS.map((u) => inboxFor(u.name).slice(0, -1));
      const stray = delivered.filter((subject) => !users.some((own) => subject.startsWith(own)));
      if (delivered.length === 0) throw new Error('no push consumer found');
      if (stray.length > 0) throw new Error(stray.join(', '));
      const owners = new Set(delivered.map((subject) => subject.split('.')[0]));
      return `${delivered.length} consumer(s) on ${[...owners].join(', ')}, from /jsz`;
    },
  );

  // who can read the reply that carries a secret? only signature
  for (const snoop of ['_INBOX_signature.>', '_INBOX.>', '>']) {
    await check(
      `gateway: may NOT subscribe to ${snoop}: the reply carrying a secret stays private`,
      async () => {
        const snooped = [];
        let refusal;
        const sub = gateway.connection.subscribe(snoop, {
          callback: (error, message) => {
            if (error) refusal ??= describe(error);
            else if (decoder.decode(message.data).includes('secret-of-'))
              snooped.push(message.subject);
          },
        });
        sub.closed.then(
          (value) => (refusal ??= value instanceof Error ? describe(value) : undefined),
          (error) => (refusal ??= describe(error)),
        );
        await gateway.connection.flush().catch(() => undefined);
        await delay(200);
        // a secret request in flight while the gateway tries to listen
        await signatureRpc.request(CredentialsRpc.resolveSecret, { apiKey: 'ak_live' });
        await delay(200);
        if (!sub.isClosed()) sub.unsubscribe();
        if (snooped.length > 0) throw new Error('the gateway read the reply carrying the secret');
        if (!refusal || !/permission/i.test(refusal))
          throw new Error(`subscription not refused (${refusal ?? 'no error'})`);
        return 'permissions violation; nothing read';
      },
    );
  }
  for (const { name } of USERS.filter((u) => u.name !== 'gateway')) {
    const others = name === 'signature' ? ['_INBOX.>'] : ['_INBOX_signature.>', '_INBOX.>'];
    await check(`${name}: may NOT subscribe to ${others.join(' nor ')}`, async () => {
      const why = [];
      for (const subject of others) why.push(await subscriptionRefused(link(name), subject));
      return [...new Set(why)].join('; ');
    });
  }
}
