import { Server, BaseRpcContext, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Subscription } from '@nats-io/transport-node';
import { lastValueFrom, type Observable } from 'rxjs';
import { toWire, type WireError } from '@loyalty-edge/errors';
import type { NatsLink } from './connection.js';
import type { RpcReply } from './rpc-client.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A Nest microservice transport over our NATS link: each `@MessagePattern(contract.subject)`
 * handler is subscribed at `<prefix>.<subject>` in the service's queue group, so one deployment
 * (or one test run) never answers another's requests.
 */
export class NatsRpcServer extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly link: NatsLink,
    private readonly queue: string,
    private readonly observe?: (subject: string, outcome: 'ok' | 'error', seconds: number) => void,
  ) {
    super();
  }

  listen(callback: () => void): void {
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.isEventHandler) continue;
      const subscription = this.link.connection.subscribe(this.link.subject(pattern), {
        queue: this.link.subject(this.queue),
        callback: (error, message) => {
          if (error) return;
          void this.answer(pattern, message.data).then((reply) => {
            if (message.reply) message.respond(encoder.encode(JSON.stringify(reply)));
          });
        },
      });
      this.subscriptions.push(subscription);
    }
    callback();
  }

  private async answer(pattern: string, data: Uint8Array): Promise<RpcReply<unknown>> {
    const started = performance.now();
    const reply = await this.handle(pattern, data);
    this.observe?.(pattern, 'ok' in reply ? 'ok' : 'error', (performance.now() - started) / 1000);
    return reply;
  }

  private async handle(pattern: string, data: Uint8Array): Promise<RpcReply<unknown>> {
    const handler = this.getHandlerByPattern(pattern);
    try {
      const payload: unknown = data.length === 0 ? undefined : JSON.parse(decoder.decode(data));
      if (!handler) throw new Error(`no handler for ${pattern}`);
      const result$ = this.transformToObservable(
        await handler(payload, new BaseRpcContext([pattern])),
      ) as Observable<unknown>;
      return { ok: (await lastValueFrom(result$, { defaultValue: null })) ?? null };
    } catch (error) {
      return { error: isWire(error) ? error : toWire(error) };
    }
  }

  close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.subscriptions.length = 0;
  }

  on(): never {
    throw new Error('NatsRpcServer has no events');
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- Nest's signature
  unwrap<T>(): T {
    return this.link.connection as T;
  }
}

function isWire(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && 'kind' in value && 'code' in value;
}
