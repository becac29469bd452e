import { Inject, Injectable } from '@nestjs/common';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { AppError } from '@loyalty-edge/errors';
import type { BrowserAuth, BrowserExchange } from '@loyalty-edge/management-contracts';
import { antavoParams, EscherSigner, toShortDate } from '@loyalty-edge/escher';
import { RpcClient } from '@loyalty-edge/nats';
import { redactBody, redactHeaders, redactUrl } from '@loyalty-edge/redaction';
import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import type { Caller } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import { browserTarget, type BrowserCall, type BrowserTarget } from './browser-target.js';
import { callGateway } from './gateway-call.js';

/**
 * Calls the gateway for an admin with the workspace's active API key, plain or Escher-signed
 * with a derived day key (the secret never leaves the credentials and signature services),
 * so the admin sees exactly what an integrator gets: IP filter, enforcement, rate limit and
 * the failed-call log included.
 */
@Injectable()
export class ApiBrowserService {
  private readonly host: string;

  constructor(
    private readonly rpc: RpcClient,
    private readonly changes: ChangeLog,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {
    // signatures name the public host, wherever this service reaches the gateway
    this.host = new URL(config.client.gatewayUrl).host;
  }

  async send(
    caller: Caller,
    workspaceId: string,
    call: BrowserCall,
    auth: BrowserAuth,
  ): Promise<BrowserExchange> {
    const target = browserTarget(call);
    const active = await this.rpc.request(CredentialsRpc.getActive, { workspaceId });
    if (active?.status !== 'active' || active.workspaceId !== workspaceId) {
      throw new AppError(
        'conflict',
        ErrorCodes.conflict,
        'The workspace has no active API credentials: generate them first',
      );
    }
    const headers: [string, string][] = [
      ['host', this.host],
      ['accept', 'application/json'],
      ['user-agent', 'loyalty-edge-api-browser'],
      // believed by the gateway only when it trusts this service as a proxy (TRUSTED_PROXIES)
      ['x-forwarded-for', caller.clientIp],
      ['x-request-id', caller.requestId],
    ];
    if (target.body !== undefined) {
      headers.push(['content-type', 'application/json']);
      headers.push(['content-length', String(Buffer.byteLength(target.body))]);
    }
    const sent =
      auth === 'signature'
        ? await this.signed(workspaceId, active.apiKey, target, headers)
        : { url: withApiKey(target.pathAndQuery, active.apiKey), headers };
    const answer = await callGateway(
      new URL(`${this.config.apiBrowser.gatewayUrl}${sent.url}`),
      target.method,
      sent.headers,
      target.body,
      this.config.apiBrowser.timeoutMs,
    );
    if (typeof answer === 'string') {
      throw new AppError(
        'unavailable',
        ErrorCodes.unavailable,
        answer === 'timeout'
          ? 'The gateway did not answer in time'
          : 'The gateway could not be reached from the management API',
      );
    }
    this.changes.record(caller, {
      workspaceId,
      action: 'api-browser.request.sent',
      target: `${target.method} ${call.path}`,
      after: { auth, status: answer.status },
    });
    const contentType = answer.headers['content-type'];
    return {
      auth,
      request: {
        method: target.method,
        url: redactUrl(`${this.config.client.gatewayUrl}${sent.url}`),
        headers: redactHeaders(Object.fromEntries(sent.headers)),
        body: target.body === undefined ? null : redactBody('application/json', target.body),
      },
      response: {
        status: answer.status,
        headers: redactHeaders(answer.headers),
        body: redactBody(contentType, answer.body),
        truncated: answer.truncated,
      },
      durationMs: answer.durationMs,
    };
  }

  /** Signs with the day key the signature service derives for the workspace's own key. */
  private async signed(
    workspaceId: string,
    apiKey: string,
    target: BrowserTarget,
    headers: readonly [string, string][],
  ): Promise<{ url: string; headers: readonly (readonly [string, string])[] }> {
    const now = new Date();
    const derived = await this.rpc.request(SignatureRpc.deriveKey, {
      apiKey,
      shortDate: toShortDate(now),
      hashAlgo: 'SHA256',
    });
    // the key was read for this workspace; a mismatch would sign for another one: refuse
    if (derived?.workspaceId !== workspaceId) {
      throw new AppError(
        'conflict',
        ErrorCodes.conflict,
        'The API key changed while signing: try again',
      );
    }
    const region = this.config.client.credentialScope.split('/')[0] ?? 'eu';
    const signer = new EscherSigner({
      ...antavoParams(region),
      credentialScope: this.config.client.credentialScope,
      accessKeyId: apiKey,
      key: { signingKey: new Uint8Array(Buffer.from(derived.signingKey, 'base64')) },
      now: () => now,
    });
    const { request } = signer.sign(
      { method: target.method, url: target.pathAndQuery, headers, body: target.body ?? '' },
      target.body === undefined ? [] : ['content-type'],
    );
    return { url: target.pathAndQuery, headers: request.headers };
  }
}

/** The path with `api_key` appended, as a plain-key integrator sends it. */
function withApiKey(pathAndQuery: string, apiKey: string): string {
  const separator = pathAndQuery.includes('?') ? '&' : '?';
  return `${pathAndQuery}${separator}api_key=${encodeURIComponent(apiKey)}`;
}
