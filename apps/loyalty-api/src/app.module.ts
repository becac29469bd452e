import type { ServiceSpec } from '@loyalty-edge/runtime';
import { AsyncEventEntity } from './async-events/async-event.entity.js';
import { AsyncEventsModule } from './async-events/async-events.module.js';
import type { LoyaltyConfig } from './config.js';
import { CustomerEntity } from './customers/customer.entity.js';
import { CustomersModule } from './customers/customers.module.js';
import { EventEntity } from './events/event.entity.js';
import { EventsModule } from './events/events.module.js';
import { acceptFormBodies } from './forms/form-body.js';
import { migrations } from './migrations/index.js';

/** Bodies nested deeper are refused (400) before validation, which would recurse past the stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * The reference loyalty backend behind the gateway: Events, Customer and Async Events APIs
 * over HTTP (JSON or form-encoded bodies), for the workspace the gateway names in `x-le-workspace-id`. Async events go
 * through the JetStream stream LOYALTY_ASYNC to a worker in this same app.
 */
export function loyaltyApp(config: LoyaltyConfig): ServiceSpec {
  return {
    config: config.common,
    rpc: false,
    maxJsonDepth: MAX_JSON_DEPTH,
    database: {
      ...config.database,
      entities: [CustomerEntity, EventEntity, AsyncEventEntity],
      migrations,
    },
    imports: [EventsModule, CustomersModule, AsyncEventsModule.withOptions(config.asyncEvents)],
    // form bodies as PHP's http_build_query nests them (data[email]=…), within limits
    configure: (app) => {
      acceptFormBodies(app);
    },
  };
}
