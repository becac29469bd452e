import { Injectable } from '@nestjs/common';
import { AuditRpc } from '@loyalty-edge/audit-contracts';
import {
  IpFilterRpc,
  type IpFilterLists,
  type PreviewResult,
  type UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import { SignatureRpc, type EnforcementSet } from '@loyalty-edge/signature-contracts';
import type { Caller } from '../access/principal.js';
import { actorOf, ChangeLog } from '../change-log/change-log.js';
import { ModuleState } from './module-state.js';

/** The per-API policies of a workspace: IP allow-lists and signature enforcement. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly modules: ModuleState,
    private readonly changes: ChangeLog,
  ) {}

  async ipLists(workspaceId: string): Promise<IpFilterLists & { moduleEnabled: boolean }> {
    const [lists, moduleEnabled] = await Promise.all([
      this.rpc.request(IpFilterRpc.getLists, { workspaceId }),
      this.modules.enabled(workspaceId, 'ipFilter'),
    ]);
    return { ...lists, moduleEnabled };
  }

  async setIpList(
    caller: Caller,
    workspaceId: string,
    api: string,
    entries: readonly string[],
  ): Promise<UpdateListResult> {
    await this.modules.require(workspaceId, 'ipFilter');
    const result = await this.rpc.request(IpFilterRpc.update, {
      workspaceId,
      api,
      entries,
      actor: actorOf(caller),
      requestId: caller.requestId,
    });
    if (result.changed) {
      this.changes.record(caller, {
        workspaceId,
        action: 'ip-filter.list.updated',
        target: api,
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

  async enforcement(workspaceId: string): Promise<EnforcementSet & { moduleEnabled: boolean }> {
    const [set, moduleEnabled] = await Promise.all([
      this.rpc.request(SignatureRpc.getEnforcement, { workspaceId }),
      this.modules.enabled(workspaceId, 'signatureCheck'),
    ]);
    return { ...set, moduleEnabled };
  }

  async setEnforcement(
    caller: Caller,
    workspaceId: string,
    apis: readonly string[],
  ): Promise<EnforcementSet & { moduleEnabled: boolean }> {
    await this.modules.require(workspaceId, 'signatureCheck');
    const result = await this.rpc.request(SignatureRpc.setEnforcement, {
      workspaceId,
      apis,
      actor: actorOf(caller),
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
