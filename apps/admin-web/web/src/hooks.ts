import { useCallback, useEffect, useRef, useState } from 'react';

export type Loaded<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: Error }
  | { readonly status: 'ready'; readonly data: T };

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error('Something went wrong');
}

/**
 * Loads data when `key` changes; `reload` fetches again (keeping the old data on screen
 * meanwhile). Answers that arrive after a newer load started are dropped.
 */
export function useLoad<T>(
  key: string,
  load: () => Promise<T>,
): { state: Loaded<T>; reload: () => void; set: (data: T) => void } {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback((): void => {
    const mine = ++generation.current;
    loadRef.current().then(
      (data) => {
        if (mine === generation.current) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (mine === generation.current) setState({ status: 'error', error: asError(error) });
      },
    );
  }, []);

  useEffect(() => {
    setState({ status: 'loading' });
    run();
    return () => {
      generation.current += 1;
    };
  }, [key, run]);

  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { state, reload: run, set };
}

export interface Paged<T> {
  readonly items: readonly T[];
  readonly loading: boolean;
  readonly error: Error | undefined;
  readonly hasMore: boolean;
  readonly loadMore: () => void;
}

/** A keyset-paginated list: the first page when `key` changes, the next on `loadMore`. */
export function usePaged<T>(
  key: string,
  fetchPage: (cursor: string | null) => Promise<{ items: readonly T[]; nextCursor: string | null }>,
): Paged<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | undefined>();
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback((from: string | null, append: boolean): void => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    fetchRef.current(from).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems((previous) => (append ? [...previous, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (caught: unknown) => {
        if (mine !== generation.current) return;
        setError(asError(caught));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setItems([]);
    setCursor(null);
    load(null, false);
    return () => {
      generation.current += 1;
    };
  }, [key, load]);

  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    loadMore: () => {
      if (cursor !== null && !loading) load(cursor, true);
    },
  };
}
