import type { WorkspaceView } from '../../api/endpoints.js';
import { AuthClientEventsLog } from './auth-client-events-log.js';
import { TokenEventsLog } from './token-events-log.js';

/** The Authentication Manager's two logs: client lifecycle, then token requests. */
export function AuthAuditLogs({ workspace }: { workspace: WorkspaceView }) {
  return (
    <>
      <AuthClientEventsLog workspace={workspace} />
      <TokenEventsLog workspace={workspace} />
    </>
  );
}
