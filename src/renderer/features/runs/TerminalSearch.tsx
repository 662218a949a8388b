/** Terminal toolbar: find in the visible scrollback (xterm search), search the whole log file (runs.searchLog), copy the selection. */
import { useEffect, useState } from 'react';
import { searchRunLog } from '../../stores/terminal.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { copyText } from './clipboard.js';
import type { TerminalHandle } from './terminalHandle.js';

const DECORATIONS = {
  matchBackground: '#854d0e',
  activeMatchBackground: '#ca8a04',
  matchOverviewRuler: '#ca8a04',
  activeMatchColorOverviewRuler: '#facc15',
};

interface LogHit {
  line: number;
  text: string;
}

export function TerminalSearch({ runId, handle }: { runId: string; handle: TerminalHandle }): React.JSX.Element {
  const t = useT();
  const { term, search } = handle;
  const [query, setQuery] = useState('');
  const [count, setCount] = useState<{ index: number; total: number } | null>(null);
  const [hits, setHits] = useState<LogHit[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const sub = search.onDidChangeResults((r) => setCount({ index: r.resultIndex, total: r.resultCount }));
    return () => sub.dispose();
  }, [search]);

  const find = (backwards = false) => {
    if (!query) return;
    const opts = { decorations: DECORATIONS, caseSensitive: false };
    const found = backwards ? search.findPrevious(query, opts) : search.findNext(query, opts);
    if (!found) setCount({ index: -1, total: 0 });
  };
  const searchFile = async () => {
    if (!query.trim()) return setNote(t('runs.search.emptyQuery'));
    setBusy(true);
    setNote(null);
    try {
      setHits(await searchRunLog(runId, query));
    } catch (e) {
      setNote(t('runs.search.failed', { error: errorMessage(e) }));
    } finally {
      setBusy(false);
    }
  };
  /** Jumps to a file hit if it is still in the terminal's scrollback (the file can be far longer than the buffer). */
  const reveal = (hit: LogHit) => {
    const needle = hit.text.trim().slice(0, 120);
    term.clearSelection();
    term.scrollToTop();
    const found = needle && search.findNext(needle, { decorations: DECORATIONS });
    setNote(found ? null : t('runs.search.notInScrollback', { line: hit.line }));
  };
  const copySelection = () => {
    const text = term.getSelection();
    if (!text) return setNote(t('runs.copyNothing'));
    copyText(text).then(
      () => setNote(t('common.copied')),
      (e) => setNote(t('runs.copyFailed', { error: errorMessage(e) })),
    );
  };

  return (
    <div className="terminal-toolbar">
      <div className="terminal-toolbar-row">
        <input
          className="input mono terminal-search-input"
          data-testid="terminal-search"
          placeholder={t('runs.search.placeholder')}
          aria-label={t('runs.search.placeholder')}
          value={query}
          maxLength={500}
          onChange={(e) => {
            setQuery(e.target.value);
            setCount(null);
            if (!e.target.value) search.clearDecorations();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') find(e.shiftKey);
            if (e.key === 'Escape') {
              setQuery('');
              search.clearDecorations();
              setHits(null);
            }
          }}
        />
        <button className="button" onClick={() => find(true)} disabled={!query} aria-label={t('runs.search.prev')} title={t('runs.search.prev')}>↑</button>
        <button className="button" onClick={() => find(false)} disabled={!query} aria-label={t('runs.search.next')} title={t('runs.search.next')}>↓</button>
        {count && (
          <span className="muted" data-testid="terminal-search-count">
            {count.total === 0 ? t('runs.search.none') : t('runs.search.count', { index: count.index + 1, total: count.total })}
          </span>
        )}
        <button className="button" data-testid="terminal-search-file" disabled={busy || !query} onClick={() => void searchFile()} title={t('runs.search.fileHint')}>
          {t('runs.search.file')}
        </button>
        <span className="spacer" />
        <button className="button" data-testid="terminal-copy" onClick={copySelection} title={t('runs.copyHint')}>
          {t('runs.copySelection')}
        </button>
      </div>
      {note && <div className="muted terminal-note" role="status">{note}</div>}
      {hits && (
        <div className="log-hits" data-testid="terminal-search-hits">
          <div className="log-hits-head">
            <span>{t('runs.search.hits', { n: hits.length })}</span>
            <button className="icon-button" onClick={() => setHits(null)} aria-label={t('common.close')}>×</button>
          </div>
          {hits.length === 0 ? (
            <div className="muted">{t('runs.search.none')}</div>
          ) : (
            <ol>
              {hits.map((h) => (
                <li key={h.line}>
                  <button className="log-hit mono" onClick={() => reveal(h)} title={t('runs.search.reveal')}>
                    <span className="muted">{h.line}</span> {h.text}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </div>
  );
}
