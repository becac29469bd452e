import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsLink } from './connection.js';

/** True when NATS refused a publish or subscription of this user (its subject permissions). */
export function isPermissionViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === 'PermissionViolationError' || /permissions violation/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/**
 * Waits until a stream whose replicas just changed (or that was just created) has a leader and a
 * quorum of current replicas again: until then its API calls and publishes fail or time out.
 */
export async function settled(
  jsm: JetStreamManager,
  stream: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let why: string;
    try {
      const info = await jsm.streams.info(stream);
      const replicas = info.config.num_replicas || 1;
      const current = (info.cluster?.replicas ?? []).filter((peer) => peer.current).length;
      // a single server reports no cluster; a leader and a quorum (itself included) otherwise
      if (!info.cluster || (info.cluster.leader && current + 1 > replicas / 2)) return;
      why = `${current + (info.cluster.leader ? 1 : 0)} of ${replicas} replicas current`;
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      throw new Error(`stream ${stream} not ready after ${timeoutMs / 1000} s (${why})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Raises the replicas of an existing stream (a KV bucket is the stream `KV_<bucket>`) to
 * `link.replicas` when it has fewer, and waits until it is usable again; never lowers them.
 * With `ownerOnly`, a user the NATS permissions do not allow to update the stream leaves it as it
 * is (its owner raises it). Resolves to the stream's replicas.
 */
export async function raiseReplicas(
  link: NatsLink,
  stream: string,
  { ownerOnly = false }: { readonly ownerOnly?: boolean } = {},
): Promise<number> {
  const jsm = await jetstreamManager(link.connection, { checkAPI: false });
  const current = (await jsm.streams.info(stream)).config.num_replicas || 1;
  if (current >= link.replicas) return current;
  try {
    await jsm.streams.update(stream, { num_replicas: link.replicas });
  } catch (error) {
    if (ownerOnly && isPermissionViolation(error)) return current;
    throw error;
  }
  await settled(jsm, stream);
  return link.replicas;
}
