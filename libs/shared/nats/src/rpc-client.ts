import { Injectable } from '@nestjs/common';
import type { RpcContract } from '@loyalty-edge/contracts';
import { AppError, fromWire, type WireError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { NatsLink } from './connection.js';

/** What a responder sends back: a result or a wire error. */
export type RpcReply<T> = { readonly ok: T } | { readonly error: WireError };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Typed request/reply over a contract, with a timeout; remote errors come back as AppError. */
@Injectable()
export class RpcClient {
  constructor(private readonly link: NatsLink) {}

  async request<Req, Res>(
    contract: RpcContract<Req, Res>,
    data: Req,
    timeoutMs = this.link.requestTimeoutMs,
  ): Promise<Res> {
    let raw: Uint8Array;
    try {
      const message = await this.link.connection.request(
        this.link.subject(contract.subject),
        encoder.encode(JSON.stringify(data)),
        { timeout: timeoutMs },
      );
      raw = message.data;
    } catch (cause) {
      throw new AppError(
        'unavailable',
        ErrorCodes.unavailable,
        `No answer from ${contract.subject.split('.')[0] ?? 'service'}`,
        undefined,
        { cause },
      );
    }
    const reply = JSON.parse(decoder.decode(raw)) as RpcReply<Res>;
    if ('error' in reply) throw fromWire(reply.error);
    return reply.ok;
  }
}
