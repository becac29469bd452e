// What the permissions must refuse, in the permission check (deploy/nats/check.mjs): above all
// that only signature may request secret.resolve; no user impersonates a service, forges the
// gateways' rate-limit counts, writes another's bucket, forges an audit event or reads audit's
// consumer.
import { setTimeout as delay } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { IpFilterRpc } from '@loyalty-edge/ip-filter-contracts';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import { check } from '../platform-checks.mjs';
import {
  PREFIX,
  RATE_SUBJECT,
  RESOLVE_SUBJECT,
  payload,
  refused,
  subscriptionRefused,
} from './clients.mjs';

/** @typedef {import('@loyalty-edge/nats').NatsLink} NatsLink */

/**
 * A core NATS request by `link` that must be refused; resolves to why it was.
 * @param {NatsLink} link
 * @param {string} subject
 */
function requestRefused(link, subject, body = {}, what = 'the request') {
  return refused(link.connection.request(subject, payload(body), { timeout: 1500 }), what);
}

/**
 * A JetStream publish by `link` that must be refused; resolves to why it was.
 * @param {NatsLink} link
 * @param {string} subject
 */
function publishRefused(link, subject, body = {}, what = 'the publish') {
  return refused(
    jetstream(link.connection).publish(subject, payload(body), { timeout: 1500 }),
    what,
  );
}

/**
 * @param {(name: string) => NatsLink} link a connected user
 * @param {{ count: number }} secretReplies how often credentials answered secret.resolve
 */
export async function refusals(link, secretReplies) {
  const gateway = link('gateway');
  const token = link('token');
  for (const name of ['gateway', 'management-api', 'ip-filter', 'token', 'audit', 'loyalty-api']) {
    await check(`${name}: may NOT request ${RESOLVE_SUBJECT}`, async () => {
      const before = secretReplies.count;
      const why = await requestRefused(link(name), RESOLVE_SUBJECT, { apiKey: 'ak_live' });
      await delay(50);
      if (secretReplies.count !== before) throw new Error('credentials received the request');
      return `${why}; credentials never saw it`;
    });
  }
  await check('gateway: may NOT publish to le.credentials.> at all', () =>
    requestRefused(gateway, `${PREFIX}.${CredentialsRpc.generate.subject}`),
  );
  /** @type {[string, string][]} */
  const impersonations = [
    ['gateway', `${PREFIX}.credentials.>`],
    ['signature', RESOLVE_SUBJECT],
    ['management-api', RESOLVE_SUBJECT],
    ['gateway', `${PREFIX}.signature.>`],
  ];
  for (const [name, subject] of impersonations) {
    await check(`${name}: may NOT subscribe to ${subject} (cannot impersonate a service)`, () =>
      subscriptionRefused(link(name), subject),
    );
  }
  await check(`token, loyalty-api: may NOT publish or subscribe to ${RATE_SUBJECT}`, async () => {
    const heard = [];
    const sub = gateway.connection.subscribe(RATE_SUBJECT, {
      callback: (_e, m) => {
        heard.push(m);
      },
    });
    await gateway.connection.flush();
    for (const name of ['token', 'loyalty-api']) {
      link(name).connection.publish(RATE_SUBJECT, payload({ replica: 'forged', counts: [] }));
    }
    await delay(300);
    sub.unsubscribe();
    if (heard.length > 0) throw new Error('a forged count reached the gateway');
    for (const name of ['token', 'loyalty-api'])
      await subscriptionRefused(link(name), RATE_SUBJECT);
    return 'publish dropped, subscribe refused';
  });
  /** @type {[string, () => Promise<string>][]} */
  const forbidden = [
    [
      'gateway: may NOT write the api_keys bucket',
      () =>
        publishRefused(gateway, `$KV.${PREFIX}_api_keys.ak_evil`, { status: 'active' }, 'the put'),
    ],
    [
      'gateway: may NOT forge an admin change event',
      () => publishRefused(gateway, `${PREFIX}.audit.change.recorded`),
    ],
    [
      'gateway: may NOT delete or purge the AUDIT stream',
      async () => {
        const jsm = await jetstreamManager(gateway.connection);
        await refused(jsm.streams.delete(`${PREFIX}_AUDIT`), 'stream delete');
        return refused(jsm.streams.purge(`${PREFIX}_AUDIT`), 'stream purge');
      },
    ],
    [
      "gateway: may NOT read the audit consumer's messages",
      () =>
        requestRefused(
          gateway,
          `$JS.API.CONSUMER.MSG.NEXT.${PREFIX}_AUDIT.${PREFIX}_audit_writer`,
          { batch: 1 },
          'the pull',
        ),
    ],
    [
      'loyalty-api: may NOT write the jwks bucket',
      () => publishRefused(link('loyalty-api'), `$KV.${PREFIX}_jwks.current`, {}, 'the put'),
    ],
    [
      'gateway: may NOT manage auth clients (token.auth-client.create)',
      () => requestRefused(gateway, `${PREFIX}.${TokenRpc.createClient.subject}`),
    ],
    [
      'gateway: may NOT write the auth_clients bucket',
      () =>
        publishRefused(
          gateway,
          `$KV.${PREFIX}_auth_clients.lec_evil`,
          { workspaceId: 'ws1', status: 'active' },
          'the put',
        ),
    ],
    [
      'management-api: may NOT request token.access-token.issue',
      () => requestRefused(link('management-api'), `${PREFIX}.${TokenRpc.issue.subject}`),
    ],
    [
      'token: may NOT forge a token-log event (the gateway writes that log)',
      () => publishRefused(token, `${PREFIX}.audit.token.recorded`),
    ],
    [
      'token: may NOT forge a token-log batch either',
      () => publishRefused(token, `${PREFIX}.audit.token-batch.recorded`),
    ],
    [
      'token: may NOT request ip-filter.list.update',
      () => requestRefused(token, `${PREFIX}.${IpFilterRpc.update.subject}`),
    ],
  ];
  for (const [text, attempt] of forbidden) await check(text, attempt);
}
