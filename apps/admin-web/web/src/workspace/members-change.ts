import { useState } from 'react';
import type { MemberView } from '../api/endpoints.js';
import { etagOf, staleState, type MembersView, type Stale } from '../api/revisioned.js';

/**
 * One change of the members, made from the ETag of the list on screen. A 412 (someone changed
 * the members meanwhile) is kept with the current list, for the screen to offer a reload or to
 * send the same change again from the current revision.
 */
export function useMembersChange<T>(
  members: MembersView,
  run: (etag: string) => Promise<{ data: T; etag: string }>,
  done: (value: T) => void,
): {
  readonly busy: boolean;
  readonly error: unknown;
  readonly conflict: Stale<readonly MemberView[]> | undefined;
  /** Sends the change from the list on screen. */
  readonly start: () => void;
  /** Sends it again from the current revision (after a conflict). */
  readonly reapply: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [conflict, setConflict] = useState<Stale<readonly MemberView[]>>();

  const go = (etag: string): void => {
    setBusy(true);
    setError(undefined);
    run(etag).then(
      ({ data }) => {
        setConflict(undefined);
        setBusy(false);
        done(data);
      },
      (caught: unknown) => {
        const stale = staleState<readonly MemberView[]>(caught);
        if (stale) setConflict(stale);
        else setError(caught);
        setBusy(false);
      },
    );
  };
  return {
    busy,
    error,
    conflict,
    start: () => go(members.etag),
    reapply: () => {
      if (conflict) go(etagOf(conflict.revision));
    },
  };
}

/** The members as a 412 says they are now, with their ETag, to show after "Reload". */
export function reloaded(conflict: Stale<readonly MemberView[]>): MembersView {
  return { members: conflict.current, etag: etagOf(conflict.revision) };
}
