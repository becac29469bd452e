import { Inject, Injectable } from '@nestjs/common';
import {
  CredentialsRpc,
  type ApiKeyView,
  type GeneratedCredentials,
} from '@loyalty-edge/credentials-contracts';
import { AuditRpc, type KeyUsage } from '@loyalty-edge/audit-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import type { Caller } from '../access/principal.js';
import { actorOf, ChangeLog } from '../change-log/change-log.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';

/** How a client must call the gateway with these credentials. */
export interface ClientSettings {
  readonly credentialScope: string;
  readonly baseUrl: string;
}

/** How far back the recent use of the credentials looks. */
const USAGE_DAYS = 7;
/** The usage is a nicety: the key is shown without it rather than late. */
const USAGE_TIMEOUT_MS = 1500;

export interface CredentialsWithUsage extends ClientSettings {
  readonly active: ApiKeyView | null;
  readonly usage: KeyUsage | null;
}

/** A workspace's API credentials, through the credentials service; the secret only once. */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly changes: ChangeLog,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  /** The active key and its recent use (null while the audit service does not answer). */
  async get(workspaceId: string): Promise<CredentialsWithUsage> {
    const [active, usage] = await Promise.all([
      this.rpc.request(CredentialsRpc.getActive, { workspaceId }),
      this.rpc
        .request(AuditRpc.keyUsage, { workspaceId, days: USAGE_DAYS }, USAGE_TIMEOUT_MS)
        .catch(() => null),
    ]);
    return { active, usage, ...this.settings() };
  }

  /**
   * New credentials; the old ones stop working at once, or after `overlapSeconds`. The secret is
   * never logged.
   */
  async generate(
    caller: Caller,
    workspaceId: string,
    overlapSeconds = 0,
  ): Promise<GeneratedCredentials & ClientSettings> {
    const generated = await this.rpc.request(CredentialsRpc.generate, {
      workspaceId,
      actor: actorOf(caller),
      requestId: caller.requestId,
      overlapSeconds,
    });
    this.changes.record(caller, {
      workspaceId,
      action: 'credentials.generated',
      target: generated.apiKey,
      after: {
        apiKey: generated.apiKey,
        version: generated.version,
        status: generated.status,
        ...(generated.previous === undefined ? {} : { previous: generated.previous }),
      },
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
