import { Logger } from '@nestjs/common';
import type { RpcClient } from '@loyalty-edge/nats';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import type { TokenKeys } from '../policies/token-keys.js';

/**
 * Asks the token service for its JWKS when a token names a key this gateway does not know (a
 * key pushed through KV but not yet arrived, say), at most once per interval: a flood of made-up
 * `kid`s costs one request per interval. Requests during a refresh wait for it.
 */
export class JwksRefresher {
  private readonly logger = new Logger('JwksRefresher');
  private lastStarted = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly rpc: Pick<RpcClient, 'request'>,
    private readonly keys: TokenKeys,
    private readonly intervalMs = 30_000,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** A refresh to wait for, or undefined when one already ran within the interval. */
  refresh(): Promise<void> | undefined {
    if (this.pending !== undefined) return this.pending;
    const now = this.clock();
    if (now - this.lastStarted < this.intervalMs) return undefined;
    this.lastStarted = now;
    this.pending = this.rpc
      .request(TokenRpc.jwks, {})
      .then(
        (jwks) => this.keys.applyJwks(jwks),
        (error: unknown) => {
          this.logger.warn({
            msg: 'JWKS refresh failed',
            error: error instanceof Error ? error.message : 'unknown',
          });
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
