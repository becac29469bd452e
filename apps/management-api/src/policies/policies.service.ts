import { Injectable } from '@nestjs/common';
import { AuditRpc } from '@loyalty-edge/audit-contracts';
import { API_CATALOG } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import {
  IpFilterErrorCodes,
  IpFilterRpc,
  type IpFilterList,
  type IpFilterLists,
  type PreviewResult,
  type UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import { SignatureRpc, type EnforcementSet } from '@loyalty-edge/signature-contracts';
import type { Caller } from '../access/principal.js';
import { actorOf, ChangeLog } from '../change-log/change-log.js';
import { isStale, staleRevision } from '../revisions/if-match.js';
import { ModuleState } from './module-state.js';

type WithModule<T> = T & { moduleEnabled: boolean };

const nameOf = (api: string): string => API_CATALOG.find((entry) => entry.id === api)?.name ?? api;

/** "by jane@example.com at 2026-…" of a state that has them, for a conflict's message. */
const changedBy = (state: { updatedBy: string | null; updatedAt: string | null }): string =>
  state.updatedBy === null || state.updatedAt === null
    ? ''
    : ` (by ${state.updatedBy} at ${state.updatedAt})`;

/**
 * The per-API policies of a workspace: IP allow-lists and signature enforcement. The owning
 * services keep their revisions and compare them in the write's transaction; a stale write is
 * answered here with the current state as a read returns it.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly modules: ModuleState,
    private readonly changes: ChangeLog,
  ) {}

  async ipLists(workspaceId: string): Promise<WithModule<IpFilterLists>> {
    const [lists, moduleEnabled] = await Promise.all([
      this.rpc.request(IpFilterRpc.getLists, { workspaceId }),
      this.modules.enabled(workspaceId, 'ipFilter'),
    ]);
    return { ...lists, moduleEnabled };
  }

  /** One API's list with its own revision (the ETag a change of it sends back). */
  async ipList(workspaceId: string, api: string): Promise<WithModule<IpFilterList>> {
    const { apis, moduleEnabled } = await this.ipLists(workspaceId);
    const list = apis.find((entry) => entry.api === api);
    if (!list) {
      throw new AppError('invalid', IpFilterErrorCodes.unknownApi, 'Unknown API', {
        fields: [{ field: 'api', message: `"${api}" is not an API of the catalog` }],
      });
    }
    return { ...list, moduleEnabled };
  }

  async setIpList(
    caller: Caller,
    workspaceId: string,
    change: { api: string; entries: readonly string[]; expected: number },
  ): Promise<UpdateListResult> {
    await this.modules.require(workspaceId, 'ipFilter');
    const result = await this.rpc
      .request(IpFilterRpc.update, {
        workspaceId,
        api: change.api,
        entries: change.entries,
        expectedRevision: change.expected,
        actor: actorOf(caller),
        requestId: caller.requestId,
      })
      .catch((error: unknown) => {
        if (!isStale(error)) throw error;
        const current = { ...(error.details.current as IpFilterList), moduleEnabled: true };
        throw staleRevision(
          `The ${nameOf(change.api)} list was changed by someone else since you read it${changedBy(current)}: nothing was saved; read it again and re-apply your change`,
          current.revision,
          current,
        );
      });
    if (result.changed) {
      this.changes.record(caller, {
        workspaceId,
        action: 'ip-filter.list.updated',
        target: change.api,
        before: result.before.map((entry) => entry.normalized),
        after: result.list.entries.map((entry) => entry.normalized),
      });
    }
    return result;
  }

  /** Which recent clients of the API the proposed list would refuse. */
  async previewIpList(
    workspaceId: string,
    api: string,
    entries: readonly string[],
    days: number,
  ): Promise<PreviewResult> {
    const clientIps = await this.rpc.request(AuditRpc.clientIps, { workspaceId, api, days });
    return this.rpc.request(IpFilterRpc.preview, { workspaceId, api, entries, clientIps });
  }

  async enforcement(workspaceId: string): Promise<WithModule<EnforcementSet>> {
    const [set, moduleEnabled] = await Promise.all([
      this.rpc.request(SignatureRpc.getEnforcement, { workspaceId }),
      this.modules.enabled(workspaceId, 'signatureCheck'),
    ]);
    return { ...set, moduleEnabled };
  }

  async setEnforcement(
    caller: Caller,
    workspaceId: string,
    change: { apis: readonly string[]; expected: number },
  ): Promise<WithModule<EnforcementSet>> {
    await this.modules.require(workspaceId, 'signatureCheck');
    const result = await this.rpc
      .request(SignatureRpc.setEnforcement, {
        workspaceId,
        apis: change.apis,
        expectedRevision: change.expected,
        actor: actorOf(caller),
      })
      .catch((error: unknown) => {
        if (!isStale(error)) throw error;
        const current = { ...(error.details.current as EnforcementSet), moduleEnabled: true };
        throw staleRevision(
          `The signature enforcement was changed by someone else since you read it${changedBy(current)}: nothing was saved; read it again and re-apply your change`,
          current.revision,
          current,
        );
      });
    this.changes.record(caller, {
      workspaceId,
      action: 'signature-enforcement.updated',
      before: result.before,
      after: result.apis,
    });
    const { before: _before, ...set } = result;
    return { ...set, moduleEnabled: true };
  }
}
