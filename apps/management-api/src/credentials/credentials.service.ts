import { Inject, Injectable } from '@nestjs/common';
import {
  CredentialsRpc,
  type ApiKeyView,
  type GeneratedCredentials,
} from '@loyalty-edge/credentials-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import type { Caller } from '../access/principal.js';
import { actorOf, ChangeLog } from '../change-log/change-log.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';

/** How a client must call the gateway with these credentials. */
export interface ClientSettings {
  readonly credentialScope: string;
  readonly baseUrl: string;
}

/** A workspace's API credentials, through the credentials service; the secret only once. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly changes: ChangeLog,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  async get(workspaceId: string): Promise<ClientSettings & { active: ApiKeyView | null }> {
    const active = await this.rpc.request(CredentialsRpc.getActive, { workspaceId });
    return { active, ...this.settings() };
  }

  /** New credentials; the old ones stop working at once. The secret is never logged. */
  async generate(
    caller: Caller,
    workspaceId: string,
  ): Promise<GeneratedCredentials & ClientSettings> {
    const generated = await this.rpc.request(CredentialsRpc.generate, {
      workspaceId,
      actor: actorOf(caller),
      requestId: caller.requestId,
    });
    this.changes.record(caller, {
      workspaceId,
      action: 'credentials.generated',
      target: generated.apiKey,
      after: { apiKey: generated.apiKey, version: generated.version, status: generated.status },
    });
    return { ...generated, ...this.settings() };
  }

  private settings(): ClientSettings {
    return {
      credentialScope: this.config.client.credentialScope,
      baseUrl: this.config.client.gatewayUrl,
    };
  }
}
