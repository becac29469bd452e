import { useId, useRef, useState, type SubmitEvent } from 'react';
import { ApiError } from '../api/client.js';
import {
  Api,
  type ApiEntry,
  type IpFilterList,
  type PreviewResult,
  type UpdateListResult,
  type WorkspaceView,
} from '../api/endpoints.js';
import { Revisioned, staleState } from '../api/revisioned.js';
import { Alert } from '../components/alert.js';
import { ConflictNote } from '../components/conflict-note.js';
import { messageOf, plural } from '../components/format.js';
import { useUnsavedChanges } from '../unsaved-changes.js';
import { IpBlockWarning, type SaveCheck } from './ip-block-warning.js';
import { IpEntryList } from './ip-entry-list.js';
import { IpPreview } from './ip-preview.js';
import { IpRowsField } from './ip-rows-field.js';

/** How far back "Preview impact" looks at the API's traffic. */
const PREVIEW_DAYS = 7;

const textOf = (list: IpFilterList): string => list.entries.map((entry) => entry.input).join('\n');

/** The entries of the text: one per non-blank line, without surrounding whitespace. */
function entriesOf(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * What the API refused, by entry text, from its `details.fields` (`entries[3]`…). Keyed by text
 * rather than line, a mark follows its line when lines are added above and goes once it is fixed.
 */
function rejectedEntries(error: ApiError, entries: readonly string[]): Map<string, string> {
  const rejected = new Map<string, string>();
  for (const problem of error.fields) {
    const index = /^entries\[(\d+)\]$/.exec(problem.field)?.[1];
    const entry = index === undefined ? undefined : entries[Number(index)];
    if (entry === undefined) continue;
    const earlier = rejected.get(entry);
    rejected.set(entry, earlier === undefined ? problem.message : `${earlier}; ${problem.message}`);
  }
  return rejected;
}

interface Refusal {
  readonly message: string;
  /** Refused entries (text → why); empty when the whole request was refused. */
  readonly rejected: ReadonlyMap<string, string>;
}

/**
 * One API's allow-list as a textarea, one entry per line. Refused entries are marked on their
 * line and listed under it; "Preview impact" checks the list against recent traffic, and Save
 * does too, warning before a list that would refuse recent clients. A save names the list's
 * revision it was made from: a change by someone else meanwhile is shown, never overwritten
 * unasked.
 */
export function IpListEditor({
  workspace,
  api,
  list,
  layout = 'text',
  onSaved,
  onReloaded,
  onCancel,
}: {
  workspace: WorkspaceView;
  api: ApiEntry;
  list: IpFilterList;
  /** One textarea for pasting the whole list, or one row per entry (+ and X). */
  layout?: 'text' | 'rows';
  onSaved: (result: UpdateListResult) => void;
  /** The list as someone else saved it, taken after a conflict. */
  onReloaded: (list: IpFilterList) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const backdropRef = useRef<HTMLDivElement>(null);
  const [base, setBase] = useState(list);
  const [text, setText] = useState(() => textOf(list));
  const [busy, setBusy] = useState<'save' | 'preview' | undefined>();
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [preview, setPreview] = useState<{ text: string; result: PreviewResult } | undefined>();
  const [check, setCheck] = useState<SaveCheck | undefined>();
  const [conflict, setConflict] = useState<IpFilterList | undefined>();
  const dirty = entriesOf(text).join('\n') !== entriesOf(textOf(base)).join('\n');
  useUnsavedChanges(`the ${api.name} IP list`, dirty);

  const lines = text.split('\n');
  const rejected = refusal?.rejected ?? new Map<string, string>();
  const flagged = lines.flatMap((line, index) => {
    const message = rejected.get(line.trim());
    return message === undefined ? [] : [{ line: index + 1, text: line.trim(), message }];
  });
  // a refusal of entries is over once none of them is left in the text
  const showRefusal = refusal !== undefined && (rejected.size === 0 || flagged.length > 0);
  const hintId = `${id}-hint`;
  const problemsId = `${id}-problems`;

  const fail = (caught: unknown, entries: readonly string[]): void => {
    setRefusal({
      message: messageOf(caught),
      rejected: caught instanceof ApiError ? rejectedEntries(caught, entries) : new Map(),
    });
    setBusy(undefined);
  };

  /** Saves the text as the list, made from `from` (its revision goes as If-Match). */
  const store = (from: IpFilterList): void => {
    const entries = entriesOf(text);
    setCheck(undefined);
    setBusy('save');
    setRefusal(undefined);
    Revisioned.setIpList(workspace.id, from, entries).then(onSaved, (caught: unknown) => {
      const stale = staleState<IpFilterList>(caught);
      if (!stale) return fail(caught, entries);
      setConflict(stale.current);
      setBusy(undefined);
    });
  };

  /** Save: the impact on recent clients first; a list that refuses some asks before saving. */
  const save = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const entries = entriesOf(text);
    setBusy('save');
    setRefusal(undefined);
    Api.previewIpList(workspace.id, api.id, entries, PREVIEW_DAYS).then(
      (result) => {
        setPreview({ text, result });
        if (result.totals.blockedClients === 0) return store(base);
        setCheck({ kind: 'blocks', preview: result });
        setBusy(undefined);
      },
      (caught: unknown) => {
        // a list the API refuses is shown as such; an impact that cannot be had is asked about
        if (caught instanceof ApiError && caught.status === 400) return fail(caught, entries);
        setCheck({ kind: 'unchecked', reason: messageOf(caught) });
        setBusy(undefined);
      },
    );
  };

  const cancel = (): void => {
    if (dirty && !window.confirm(`Discard your changes to the ${api.name} list?`)) return;
    onCancel();
  };

  const runPreview = (): void => {
    const entries = entriesOf(text);
    setBusy('preview');
    setRefusal(undefined);
    setPreview(undefined);
    Api.previewIpList(workspace.id, api.id, entries, PREVIEW_DAYS).then(
      (result) => {
        setPreview({ text, result });
        setBusy(undefined);
      },
      (caught: unknown) => fail(caught, entries),
    );
  };

  /** Selects a flagged line in the textarea, to fix it. */
  const selectLine = (line: number): void => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    const start = lines.slice(0, line - 1).reduce((sum, before) => sum + before.length + 1, 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  const followScroll = (): void => {
    const top = textareaRef.current?.scrollTop ?? 0;
    if (gutterRef.current) gutterRef.current.scrollTop = top;
    if (backdropRef.current) backdropRef.current.scrollTop = top;
  };

  const describedBy = flagged.length > 0 ? `${hintId} ${problemsId}` : hintId;
  const field =
    layout === 'rows' ? (
      <IpRowsField
        id={id}
        apiName={api.name}
        lines={lines}
        rejected={rejected}
        hintId={hintId}
        onChange={(rows) => setText(rows.join('\n'))}
      />
    ) : (
      <div className="field">
        <label htmlFor={`${id}-entries`}>Allowed addresses and ranges for {api.name}</label>
        <p id={hintId} className="field-hint">
          One IPv4 or IPv6 address or CIDR range per line, e.g. <code>203.0.113.7</code>,{' '}
          <code>10.0.0.0/8</code>, <code>2001:db8::/32</code>. Blank lines are ignored; an empty
          list lets every address through.
        </p>
        <div className="line-editor">
          <div className="line-gutter" ref={gutterRef} aria-hidden="true">
            {lines.map((line, index) => (
              <div
                key={index}
                className={
                  rejected.has(line.trim()) ? 'line-number line-number-error' : 'line-number'
                }
              >
                {index + 1}
              </div>
            ))}
          </div>
          <div className="line-field">
            <div className="line-backdrop" ref={backdropRef} aria-hidden="true">
              {lines.map((line, index) => {
                const message = rejected.get(line.trim());
                return message === undefined ? (
                  <div key={index} className="line-band" />
                ) : (
                  <div key={index} className="line-band line-band-error">
                    <span className="line-band-message">{message}</span>
                  </div>
                );
              })}
            </div>
            <textarea
              id={`${id}-entries`}
              ref={textareaRef}
              className="line-input"
              value={text}
              rows={Math.min(Math.max(lines.length + 1, 6), 18)}
              wrap="off"
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              autoFocus
              aria-invalid={flagged.length > 0 ? true : undefined}
              aria-describedby={describedBy}
              onChange={(event) => setText(event.target.value)}
              onScroll={followScroll}
            />
          </div>
        </div>
        {flagged.length > 0 ? (
          <ul id={problemsId} className="line-problems" aria-label="Invalid entries">
            {flagged.map((problem) => (
              <li key={problem.line}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => selectLine(problem.line)}
                >
                  Line {problem.line}
                </button>{' '}
                <code>{problem.text}</code>: {problem.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );

  return (
    <form className="ip-editor" onSubmit={save} aria-label={`Edit the ${api.name} allow-list`}>
      {field}
      {showRefusal ? <Alert>{refusal.message}</Alert> : null}
      {conflict === undefined ? null : (
        <ConflictNote
          what={`The ${api.name} list was`}
          by={conflict.updatedBy}
          at={conflict.updatedAt}
          busy={busy !== undefined}
          reapplyLabel="Re-apply my list"
          onReload={() => {
            setBase(conflict);
            setText(textOf(conflict));
            setConflict(undefined);
            onReloaded(conflict);
          }}
          onReapply={() => {
            setBase(conflict);
            setConflict(undefined);
            store(conflict);
          }}
        >
          <p>It is now:</p>
          <IpEntryList entries={conflict.entries} label={`${api.name} list now`} />
          <p className="muted">Re-applying replaces it with your text.</p>
        </ConflictNote>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={busy !== undefined || conflict !== undefined}
        >
          {busy === 'save'
            ? layout === 'rows'
              ? 'Updating…'
              : 'Saving…'
            : layout === 'rows'
              ? 'Update'
              : 'Save'}
        </button>
        <button type="button" className="button" onClick={runPreview} disabled={busy !== undefined}>
          {busy === 'preview' ? 'Checking…' : 'Preview impact'}
        </button>
        <button type="button" className="button button-link" onClick={cancel}>
          Cancel
        </button>
        <span className="muted">{plural(entriesOf(text).length, 'entry', 'entries')}</span>
      </div>
      {preview !== undefined && preview.text === text ? (
        <IpPreview preview={preview.result} apiName={api.name} days={PREVIEW_DAYS} />
      ) : null}
      {check === undefined ? null : (
        <IpBlockWarning
          check={check}
          apiName={api.name}
          days={PREVIEW_DAYS}
          onCancel={() => setCheck(undefined)}
          onSave={() => store(base)}
        />
      )}
    </form>
  );
}
