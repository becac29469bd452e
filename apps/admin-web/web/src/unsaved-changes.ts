import { useEffect, useId } from 'react';
import { setLeaveGuard } from './router.js';

// Unsaved changes of the screens: while any is registered, leaving the page (reload, close, an
// address typed) asks the browser's "Leave site?" question, and an in-app navigation (a tab, a
// link, Back) asks first which changes would be lost.

/** What is unsaved, by the component that has it: "the Customer IP list". */
const unsaved = new Map<string, string>();

function onBeforeUnload(event: BeforeUnloadEvent): void {
  // the browser then asks its own "Leave site?" question
  event.preventDefault();
}

function sync(): void {
  if (unsaved.size > 0) window.addEventListener('beforeunload', onBeforeUnload);
  else window.removeEventListener('beforeunload', onBeforeUnload);
}

/** The question asked before unsaved changes are dropped. */
export function leaveQuestion(what: readonly string[]): string {
  const things =
    what.length <= 1
      ? (what[0] ?? 'this page')
      : `${what.slice(0, -1).join(', ')} and ${what.at(-1) ?? ''}`;
  return `Leave without saving? Your changes to ${things} are not saved and will be lost.`;
}

/** true when nothing is unsaved, or the user agrees to drop it. */
export function confirmLeave(): boolean {
  if (unsaved.size === 0) return true;
  return window.confirm(leaveQuestion([...new Set(unsaved.values())]));
}

/** Registers `what` as unsaved while `dirty` is true (and the component is on screen). */
export function useUnsavedChanges(what: string, dirty: boolean): void {
  const id = useId();
  useEffect(() => {
    if (!dirty) return undefined;
    unsaved.set(id, what);
    sync();
    return () => {
      unsaved.delete(id);
      sync();
    };
  }, [id, what, dirty]);
}

setLeaveGuard(confirmLeave);
