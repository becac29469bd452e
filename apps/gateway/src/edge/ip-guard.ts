import type { ApiId } from '@loyalty-edge/contracts';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import type { ClientAddress } from '@loyalty-edge/ip-range';
import type { PolicyStore } from '../policies/policy-store.js';
import { refusal, type Refusal } from '../proxy/refusal.js';

/** The refusal of a client not on the list (the token endpoint says it in its OAuth2 envelope). */
export const IP_DENIED: Refusal = refusal({
  status: 403,
  code: GatewayErrorCodes.ipNotAllowed,
  message: 'Access from this IP address is not allowed',
  decision: 'ip_denied',
  reason: 'ip_not_in_allow_list',
});

/**
 * The IP filter: when the workspace's module is on and the API has a non-empty allow-list,
 * only listed clients pass. A client whose address could not be read never passes a list.
 */
export class IpGuard {
  constructor(private readonly store: PolicyStore) {}

  allows(workspaceId: string, api: ApiId, client: ClientAddress | undefined): boolean {
    if (this.store.workspaces.get(workspaceId)?.modules.ipFilter !== true) return true;
    const matcher = this.store.ipPolicies.get(workspaceId)?.get(api);
    if (!matcher) return true;
    return client !== undefined && matcher.matches(client);
  }
}
