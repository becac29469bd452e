// The permission check's main run on one set of servers (deploy/nats/check.mjs): every service
// connects as its own user and does its NATS work, then what each one must not do is tried.
import { USERS } from '../permissions.mjs';
import { check } from '../platform-checks.mjs';
import { openLink } from './clients.mjs';
import { auditEvents, loyaltyWorkQueue, managementRequests } from './events.mjs';
import { gatewayFollows, gatewayShared, gatewayWatch } from './gateway.mjs';
import { inboxes } from './inboxes.mjs';
import { ownersWork } from './owners.mjs';
import { refusals } from './refusals.mjs';

/**
 * @typedef {import('@loyalty-edge/nats').NatsLink} NatsLink
 * @typedef {import('./scenario.mjs').Scenario} Scenario
 */

/**
 * One connection per user; in a cluster the users are spread over the nodes, so requests and
 * JetStream cross routes.
 * @param {string} urls
 * @param {Record<string, string>} passwords
 * @param {number} replicas
 */
async function connectUsers(urls, passwords, replicas) {
  /** @type {Record<string, NatsLink>} */
  const links = {};
  const serverList = urls.split(',');
  let index = 0;
  for (const { name } of USERS) {
    const rotated = serverList
      .slice(index % serverList.length)
      .concat(serverList.slice(0, index % serverList.length));
    index += 1;
    await check(`${name}: connects as its own user`, async () => {
      links[name] = await openLink(name, rotated.join(','), passwords, replicas);
      return rotated[0]?.replace(/^nats:\/\//, '');
    });
  }
  return links;
}

/**
 * Every service's NATS work, then what each one must not do. Resolves to the users' connections
 * (closed by the caller).
 * @param {{ urls: string, monitors: number[], passwords: Record<string, string>, ordering: Scenario['ordering'], replicas: number }} servers
 * @param {boolean} verbose
 */
export async function exercise({ urls, monitors, passwords, ordering, replicas }, verbose) {
  const links = await connectUsers(urls, passwords, replicas);
  if (Object.keys(links).length !== USERS.length) return links;
  /** @param {string} name a NATS user, connected above */
  const link = (name) => {
    const found = links[name];
    if (found === undefined) throw new Error(`${name}: not connected`);
    return found;
  };

  // ordering 'edge-first': the gateway starts before the owners (it creates the buckets and the
  // AUDIT stream); 'owners-first': the owners create them
  let edge = ordering === 'edge-first' ? await gatewayWatch(link('gateway')) : undefined;
  const owners = await ownersWork(link);
  edge ??= await gatewayWatch(link('gateway'));
  await gatewayFollows(link, edge);
  const { gatewayEvents, managementEvents } = await auditEvents(link, owners);
  await gatewayShared(link('gateway'), { urls, passwords, replicas });
  await loyaltyWorkQueue(link('loyalty-api'));
  await managementRequests(owners.managementRpc);
  await refusals(link, owners.secretReplies);
  await inboxes(link, monitors, owners);

  for (const watcher of edge.watchers) watcher.stop();
  await owners.auditMessages?.close();
  await Promise.all([
    gatewayEvents.close(1000),
    owners.tokenEvents.close(1000),
    managementEvents.close(1000),
  ]);
  if (verbose) console.log('credentials request counts', owners.credentialCounts);
  return links;
}
