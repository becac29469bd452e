import {
  Server,
  BaseRpcContext,
  type CustomTransportStrategy,
  type MessageHandler,
} from '@nestjs/microservices';
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
          // the handler found once, here: Nest's per-message lookup tries JSON.parse on the
          // pattern first, and the SyntaxError it throws cost more than a signature
          void this.answer(pattern, handler, message.data).then((reply) => {
            if (message.reply) message.respond(encoder.encode(JSON.stringify(reply)));
          });
        },
      });
      this.subscriptions.push(subscription);
    }
    callback();
  }

  private async answer(
    pattern: string,
    handler: MessageHandler,
    data: Uint8Array,
  ): Promise<RpcReply<unknown>> {
    const started = performance.now();
    const reply = await this.handle(pattern, handler, data);
    this.observe?.(pattern, 'ok' in reply ? 'ok' : 'error', (performance.now() - started) / 1000);
    return reply;
  }

  private async handle(
    pattern: string,
    handler: MessageHandler,
    data: Uint8Array,
  ): Promise<RpcReply<unknown>> {
    try {
      const payload: unknown = data.length === 0 ? undefined : JSON.parse(decoder.decode(data));
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
