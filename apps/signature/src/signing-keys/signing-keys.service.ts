import { Inject, Injectable } from '@nestjs/common';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { AppError } from '@loyalty-edge/errors';
import { deriveSigningKey, toShortDate } from '@loyalty-edge/escher';
import { RpcClient } from '@loyalty-edge/nats';
import {
  SignatureErrorCodes,
  type DeriveKeyRequest,
  type DerivedKey,
} from '@loyalty-edge/signature-contracts';

export const ESCHER_SETTINGS = Symbol('EscherSettings');

export interface EscherSettings {
  readonly credentialScope: string;
  readonly algoPrefix: string;
}

const DAY_MS = 86_400_000;

/**
 * The only code that turns an API secret into key material: an Escher signing key for one
 * api key, one day and this deployment's credential scope. The secret is fetched from
 * credentials, used, and dropped; only the derived key leaves this service.
 */
@Injectable()
export class SigningKeysService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(ESCHER_SETTINGS) private readonly settings: EscherSettings,
  ) {}

  async derive(request: DeriveKeyRequest, now = Date.now()): Promise<DerivedKey | null> {
    const allowed = [now - DAY_MS, now, now + DAY_MS].map((ms) => toShortDate(ms));
    if (!allowed.includes(request.shortDate)) {
      throw new AppError(
        'invalid',
        SignatureErrorCodes.dateOutOfRange,
        'Keys are derived for yesterday, today and tomorrow only',
      );
    }
    const resolved = await this.rpc.request(CredentialsRpc.resolveSecret, {
      apiKey: request.apiKey,
    });
    if (!resolved) return null;
    const key = deriveSigningKey(
      resolved.secret,
      this.settings.algoPrefix,
      request.hashAlgo,
      request.shortDate,
      this.settings.credentialScope,
    );
    return { workspaceId: resolved.workspaceId, signingKey: key.toString('base64') };
  }
}
