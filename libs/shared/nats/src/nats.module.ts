import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { NatsLink, type NatsSettings } from './connection.js';
import { EventPublisher } from './event-publisher.js';
import { RpcClient } from './rpc-client.js';

/** Provides the NATS link, an RPC client and the event publisher to a whole app. */
@Global()
@Module({})
export class NatsModule implements OnApplicationShutdown {
  constructor(
    private readonly link: NatsLink,
    private readonly publisher: EventPublisher,
  ) {}

  static forLink(link: NatsLink): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        { provide: NatsLink, useValue: link },
        RpcClient,
        { provide: EventPublisher, useFactory: () => new EventPublisher(link) },
      ],
      exports: [NatsLink, RpcClient, EventPublisher],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.link.close();
  }
}

export type { NatsSettings };
