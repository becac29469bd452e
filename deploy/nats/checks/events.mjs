// What flows between the services in the permission check (deploy/nats/check.mjs) once every
// one is up: the audit events into JetStream and audit's consumer, loyalty-api's work queue, and
// management-api's requests to every service.
import { setTimeout as delay } from 'node:timers/promises';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { EventPublisher, ensureStream } from '@loyalty-edge/nats';
import { AuditEvents, AuditRpc } from '@loyalty-edge/audit-contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { IpFilterRpc } from '@loyalty-edge/ip-filter-contracts';
import { LOYALTY_STREAMS, LoyaltyEvents } from '@loyalty-edge/loyalty-contracts';
import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import { check } from '../platform-checks.mjs';
import { payload, waitFor } from './clients.mjs';

/** @typedef {import('@loyalty-edge/nats').NatsLink} NatsLink */

/**
 * Publishes a stand-in for an event of `contract`: only its subject and who may publish it are
 * under test here, so it carries an id and not the event's other fields.
 * @template P
 * @param {EventPublisher} publisher
 * @param {import('@loyalty-edge/contracts').EventContract<P>} contract
 * @param {{ id: string } & Record<string, unknown>} standIn
 */
function publishStandIn(publisher, contract, standIn) {
  publisher.publish(contract, /** @type {P} */ (/** @type {unknown} */ (standIn)));
}

/**
 * Gateway, token and management-api publish their audit events; audit's durable consumer gets
 * them all. Resolves to the publishers it opened (closed by the caller).
 * @param {(name: string) => NatsLink} link a connected user
 * @param {import('./owners.mjs').Owners} owners
 */
export async function auditEvents(link, { tokenEvents, auditReceived }) {
  const gatewayEvents = new EventPublisher(link('gateway'), { capacity: 100, concurrency: 8 });
  const managementEvents = new EventPublisher(link('management-api'), {
    capacity: 100,
    concurrency: 8,
  });
  await check(
    'gateway, token, management-api: publish their audit events to JetStream',
    async () => {
      publishStandIn(gatewayEvents, AuditEvents.failedCall, { id: 'fc1' });
      publishStandIn(gatewayEvents, AuditEvents.clientIps, { id: 'ip1' });
      publishStandIn(gatewayEvents, AuditEvents.token, { id: 't1' });
      publishStandIn(gatewayEvents, AuditEvents.tokenBatch, { id: 'tb1', events: [] });
      publishStandIn(tokenEvents, AuditEvents.authClient, { id: 'ac1' });
      publishStandIn(managementEvents, AuditEvents.change, { id: 'c1' });
      const flushed = Promise.all([
        gatewayEvents.flush(),
        tokenEvents.flush(),
        managementEvents.flush(),
      ]);
      await Promise.race([
        flushed,
        delay(5000).then(() => Promise.reject(new Error('publishes not acknowledged'))),
      ]);
    },
  );
  await check('audit: its durable consumer receives and acks all six', async () => {
    await waitFor(() => auditReceived.length >= 6, 5000, 'six audit events');
    return [...new Set(auditReceived.map((s) => s.split('.')[2]))].join(', ');
  });
  return { gatewayEvents, managementEvents };
}

/**
 * loyalty-api: its own work queue.
 * @param {NatsLink} loyalty
 */
export async function loyaltyWorkQueue(loyalty) {
  await check(
    'loyalty-api: LOYALTY_ASYNC stream, durable worker, publish, consume, ack',
    async () => {
      const stream = await ensureStream(loyalty, LOYALTY_STREAMS.asyncEvents);
      const jsm = await jetstreamManager(loyalty.connection);
      const durable = loyalty.name('loyalty_async_worker');
      try {
        await jsm.consumers.info(stream, durable);
      } catch {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          ack_wait: 30_000 * 1_000_000,
          max_deliver: -1,
          max_ack_pending: 1000,
          deliver_policy: DeliverPolicy.All,
          filter_subject: loyalty.subject(LOYALTY_STREAMS.asyncEvents.subjects),
        });
      }
      const js = jetstream(loyalty.connection);
      await js.publish(
        loyalty.subject(LoyaltyEvents.asyncEventQueued.subject),
        payload({ correlation_id: 'c1' }),
        { msgID: 'c1' },
      );
      const consumer = await js.consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: 8 });
      for await (const message of messages) {
        message.ack();
        break;
      }
      await messages.close();
    },
  );
}

/**
 * management-api's requests to every service.
 * @param {import('@loyalty-edge/nats').RpcClient} managementRpc
 */
export async function managementRequests(managementRpc) {
  await check(
    'management-api: may request credentials, ip-filter, signature, token, audit',
    async () => {
      await managementRpc.request(CredentialsRpc.getActive, { workspaceId: 'ws1' });
      await managementRpc.request(IpFilterRpc.getLists, { workspaceId: 'ws1' });
      await managementRpc.request(SignatureRpc.getEnforcement, { workspaceId: 'ws1' });
      await managementRpc.request(SignatureRpc.deriveKey, {
        apiKey: 'ak_live',
        shortDate: '20260101',
        hashAlgo: 'SHA256',
      });
      await managementRpc.request(TokenRpc.jwks, {});
      await managementRpc.request(TokenRpc.listClients, { workspaceId: 'ws1' });
      await managementRpc.request(AuditRpc.changes, { workspaceId: 'ws1' });
      await managementRpc.request(AuditRpc.failedCall, { workspaceId: 'ws1', id: 'x' });
    },
  );
}
