import { Controller, Get, Header, Res } from '@nestjs/common';
import { Metrics } from './metrics.js';
import { Readiness } from './readiness.js';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/** `/healthz` (alive), `/readyz` (dependencies ready) and `/metrics` (Prometheus). */
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    private readonly metrics: Metrics,
  ) {}

  @Get('healthz')
  @Header('cache-control', 'no-store')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: ReplyLike): Promise<void> {
    const { ready, checks } = await this.readiness.evaluate();
    reply
      .status(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ready' : 'not_ready', checks });
  }

  @Get('metrics')
  async metricsText(@Res() reply: ReplyLike): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    reply.status(200).header('content-type', contentType).send(body);
  }
}
