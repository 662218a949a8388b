/** The run's live terminal: xterm.js fed by `terminal.data` (replay, then batches) with acknowledged flow control; input and resize go to the pty. */
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { localToast } from '../../stores/toasts.js';
import { attachTerminal, resizeTerminal, sendTerminalInput } from '../../stores/terminal.js';
import { copyText } from './clipboard.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';
import type { TerminalHandle } from './terminalHandle.js';
import { TerminalSearch } from './TerminalSearch.js';

/** A terminal is dark in both themes: trainer output uses ANSI colours chosen for dark backgrounds. */
const THEME = { background: '#0b0e12', foreground: '#d6dbe2', cursor: '#d6dbe2', selectionBackground: '#3b82f666' };
// RIS (full reset): queued in order with the data, unlike term.reset() which would also wipe writes still in xterm's queue.
const FULL_RESET = '\x1bc';

export function RunTerminal({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const hostRef = useRef<HTMLDivElement>(null);
  const [handle, setHandle] = useState<TerminalHandle | null>(null);
  // An empty black box reads as "broken": say so when the run has printed nothing (yet).
  const [hasOutput, setHasOutput] = useState(false);
  const live = isActiveStatus(run.status);
  // Read by xterm callbacks registered once; a ref avoids re-creating the terminal when the status changes.
  const liveRef = useRef(live);
  liveRef.current = live;
  // useT() returns a new function each render; the terminal must not be rebuilt for that.
  const tRef = useRef(t);
  tRef.current = t;
  const runId = run.id;

  useEffect(() => {
    const host = hostRef.current!;
    const term = new Terminal({
      allowProposedApi: true, // search decorations
      convertEol: false, // the pty already sends \r\n; tqdm relies on bare \r
      scrollback: 20_000,
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace',
      fontSize: 12.5,
      theme: THEME,
      cursorBlink: false,
    });
    const fit = new FitAddon();
    const search = new SearchAddon({ highlightLimit: 2000 });
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(host);
    const safeFit = () => {
      // fit() throws/no-ops while the host is hidden (0×0); skip those frames.
      if (host.clientWidth > 0 && host.clientHeight > 0) fit.fit();
    };
    safeFit();

    // The terminal store holds the one subscription of this run's output (and its flow control); we only render.
    const detach = attachTerminal(runId, {
      write(evt, done) {
        if (evt.replay) term.write(FULL_RESET);
        if (evt.data.length > 0) setHasOutput(true);
        term.write(evt.data, done);
      },
    });

    const onInput = term.onData((data) => {
      if (!liveRef.current) return;
      sendTerminalInput(runId, data).catch((e: unknown) => localToast('error', tRef.current('runs.err.input'), errorMessage(e)));
    });
    let resizeTimer: ReturnType<typeof setTimeout> | null = null;
    const sendSize = () => {
      if (!liveRef.current) return;
      if (resizeTimer) clearTimeout(resizeTimer);
      // Debounced: dragging a window edge fires dozens of resizes, and each repaints the trainer's progress bars.
      resizeTimer = setTimeout(() => {
        resizeTerminal(runId, term.cols, term.rows);
      }, 150);
    };
    const onResize = term.onResize(sendSize);
    sendSize();
    const ro = new ResizeObserver(safeFit);
    ro.observe(host);

    // Ctrl+Shift+C copies; plain Ctrl+C copies too when text is selected (else it goes to the trainer as an interrupt).
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'c') return true;
      if (!e.shiftKey && !term.hasSelection()) return true;
      void copyText(term.getSelection()).catch(() => undefined);
      term.clearSelection();
      return false;
    });

    setHandle({ term, search });
    return () => {
      detach();
      if (resizeTimer) clearTimeout(resizeTimer);
      onInput.dispose();
      onResize.dispose();
      ro.disconnect();
      setHandle(null);
      term.dispose();
    };
  }, [runId]);

  useEffect(() => {
    if (handle) handle.term.options.disableStdin = !live;
  }, [handle, live]);

  return (
    <section className="run-terminal panel" data-testid="run-terminal-panel">
      {handle && <TerminalSearch runId={runId} handle={handle} />}
      <div className="terminal-frame">
        <div ref={hostRef} className="terminal-host" data-testid="run-terminal" aria-label={t('runs.terminal')} />
        {!hasOutput && (
          <div className="terminal-empty" data-testid="run-terminal-empty">
            {live ? t('runs.terminalWaiting') : t('runs.terminalNoOutput')}
          </div>
        )}
      </div>
      {!live && <div className="terminal-foot muted">{t('runs.terminalEnded')}</div>}
    </section>
  );
}
