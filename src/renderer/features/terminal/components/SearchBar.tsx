import { useEffect, useState } from 'react';
import type { ISearchOptions } from '@xterm/addon-search';
import { searchStateText } from '../search-state';
import { getPaneTerminal } from '../terminal-registry';

const DECORATIONS: ISearchOptions['decorations'] = {
  matchBackground: '#8a6d00',
  matchOverviewRuler: '#e0a040',
  activeMatchBackground: '#2f6fde',
  activeMatchColorOverviewRuler: '#2f6fde',
};

/** Ctrl+Shift+F: find in the pane's scrollback (Enter next, Shift+Enter previous, Escape closes). */
export function SearchBar({ paneId, onClose }: { paneId: string; onClose: () => void }): React.JSX.Element {
  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [regex, setRegex] = useState(false);
  const [found, setFound] = useState<boolean | null>(null);
  const [results, setResults] = useState<{ index: number; count: number } | null>(null);
  const search = getPaneTerminal(paneId)?.search;

  // The addon counts matches while decorations are on; resultIndex is -1 past its highlight limit.
  useEffect(() => {
    const sub = search?.onDidChangeResults((r) => setResults({ index: r.resultIndex, count: r.resultCount }));
    return () => sub?.dispose();
  }, [search]);

  const find = (q: string, backwards = false, incremental = false): void => {
    if (!search || !q) {
      search?.clearDecorations();
      setFound(null);
      setResults(null);
      return;
    }
    const opts: ISearchOptions = { caseSensitive, regex, incremental, decorations: DECORATIONS };
    setFound(backwards ? search.findPrevious(q, opts) : search.findNext(q, opts));
  };
  const close = (): void => {
    search?.clearDecorations();
    onClose();
    getPaneTerminal(paneId)?.term.focus();
  };

  return (
    <div className="term-search" role="search" aria-label="Find in terminal">
      <input
        className="input"
        aria-label="Find in terminal"
        placeholder="Find"
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          find(e.target.value, false, true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') find(query, e.shiftKey);
          else if (e.key === 'Escape') close();
          else return;
          e.preventDefault();
        }}
      />
      <label className="term-search-opt">
        <input type="checkbox" checked={caseSensitive} onChange={(e) => setCaseSensitive(e.target.checked)} />
        Aa
      </label>
      <label className="term-search-opt">
        <input type="checkbox" checked={regex} onChange={(e) => setRegex(e.target.checked)} />
        .*
      </label>
      <span className="muted term-search-state" aria-live="polite" data-testid="search-count">
        {searchStateText(query, found, results)}
      </span>
      <button type="button" className="button small" onClick={() => find(query, true)} aria-label="Previous match">
        ↑
      </button>
      <button type="button" className="button small" onClick={() => find(query)} aria-label="Next match">
        ↓
      </button>
      <button type="button" className="icon-button" onClick={close} aria-label="Close search">
        ×
      </button>
    </div>
  );
}
