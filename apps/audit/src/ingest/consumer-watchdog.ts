import type { Consumer } from '@nats-io/jetstream';

/**
 * Watches a running `consume` for silence: events wait in the consumer (pending, or delivered and
 * not yet acknowledged) but nothing has been delivered at two checks in a row. A pull
 * subscription can stay open and get nothing after the NATS node that led the consumer dies;
 * `onSilent` then closes it, and the supervisor opens a new one. Returns the function that stops
 * the checks.
 */
export function watchConsumer(
  consumer: Consumer,
  everyMs: number,
  onSilent: () => void,
): () => void {
  let lastDelivered = -1;
  let silentChecks = 0;
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    consumer
      .info(false)
      .then(
        (info) => {
          const delivered = info.delivered.consumer_seq;
          const waiting = info.num_pending + info.num_ack_pending > 0;
          silentChecks = waiting && delivered === lastDelivered ? silentChecks + 1 : 0;
          lastDelivered = delivered;
          if (silentChecks >= 2) {
            silentChecks = 0;
            onSilent();
          }
        },
        // NATS away: the client reconnects on its own, nothing to judge yet
        () => undefined,
      )
      .finally(() => {
        checking = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
