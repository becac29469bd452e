import type { OutgoingHttpHeaders } from 'node:http';
import { envelopeForStatus } from '@loyalty-edge/errors';
import type { GatewayDecision } from '@loyalty-edge/gateway-contracts';

/** What a refusal says: the status, the code and message of the envelope, and why (for the log). */
export interface RefusalSpec {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly decision: GatewayDecision;
  /** The precise reason, for the failed-call log (never shown to the caller). */
  readonly reason: string;
  /** Extra response headers (`WWW-Authenticate`, `Allow`, `Retry-After`). */
  readonly headers?: Readonly<OutgoingHttpHeaders>;
}

/** The gateway's one refusal type, with its envelope's exception type and JSON made once. */
export interface Refusal extends RefusalSpec {
  readonly ok: false;
  /** The exception type name of the status (`ForbiddenException`, ...). */
  readonly type: string;
  /** `{"error":{"type","code","message"}}`, serialised when the refusal is made. */
  readonly body: string;
}

/**
 * A refusal in the error envelope of the shared errors library. Fixed refusals are made once at
 * module load, so answering one costs no serialisation.
 */
export function refusal(spec: RefusalSpec): Refusal {
  const envelope = envelopeForStatus(spec.status, spec.message, spec.code);
  return { ...spec, ok: false, type: envelope.error.type, body: JSON.stringify(envelope) };
}
