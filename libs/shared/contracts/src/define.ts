/**
 * A request/reply contract: the subject (without the deployment prefix) and, as phantom types,
 * what is sent and what comes back. Declared once, used by both sides.
 */
export interface RpcContract<Req, Res> {
  readonly subject: string;
  readonly __req?: Req;
  readonly __res?: Res;
}

export type RequestOf<C> = C extends RpcContract<infer Req, unknown> ? Req : never;
export type ResponseOf<C> = C extends RpcContract<unknown, infer Res> ? Res : never;

export function defineRpc<Req, Res>(subject: string): RpcContract<Req, Res> {
  return { subject };
}

/** An event published to a JetStream stream. */
export interface EventContract<Payload> {
  readonly subject: string;
  readonly __payload?: Payload;
}

export function defineEvent<Payload>(subject: string): EventContract<Payload> {
  return { subject };
}
