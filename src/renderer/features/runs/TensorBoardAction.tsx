/** TensorBoard on the run page for a run whose config has report_to: tensorboard: one click starts it in the engine and opens it (the desktop's browser, or a link in serve); Stop ends it. */
import { useEffect, useState } from 'react';
import type { TensorBoardInfo } from '../../../shared/contract/runs.js';
import { yamlReportsTo } from '../../../shared/domain/reportTo.js';
import type { Run } from '../../../shared/types/run.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { listTensorBoards, startTensorBoard, stopTensorBoard, useRunDetail } from '../../stores/runDetail.js';

export function TensorBoardAction({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const yaml = useRunDetail((s) => s.config[run.id]?.value?.yaml ?? null);
  const reports = yaml !== null && yamlReportsTo(yaml, 'tensorboard');
  const [board, setBoard] = useState<TensorBoardInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (run.kind !== 'train') return;
    let cancelled = false;
    void useRunDetail.getState().loadConfig(run.id);
    // One already running for this run (started from another window or before a reload) is shown, not started twice.
    listTensorBoards().then(
      (list) => !cancelled && setBoard(list.find((b) => b.runIds.length === 1 && b.runIds[0] === run.id) ?? null),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [run.id, run.kind]);

  if (!reports) return null;
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const info = await startTensorBoard([run.id]);
      setBoard(info);
      if (desktop) await desktop.openExternal(info.url);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const stop = () => {
    if (board) void stopTensorBoard(board.id).then(() => setBoard(null), (e: unknown) => setError(errorMessage(e)));
  };
  return (
    <span className="tensorboard-action" data-testid="run-tensorboard">
      {board ? (
        <>
          {/* In serve the address is on the engine's machine: reachable here directly, or through the same SSH tunnel's -L. */}
          <a className="button" href={board.url} target="_blank" rel="noreferrer" data-testid="run-tensorboard-link" onClick={(e) => desktop && (e.preventDefault(), void desktop.openExternal(board.url))}>
            {t('runs.tb.open', { url: board.url })}
          </a>
          <button type="button" className="button" data-testid="run-tensorboard-stop" onClick={stop}>
            {t('runs.tb.stop')}
          </button>
        </>
      ) : (
        <button type="button" className="button" data-testid="run-tensorboard-start" disabled={busy} title={t('runs.tb.hint')} onClick={() => void start()}>
          {busy ? t('runs.tb.starting') : t('runs.tb.start')}
        </button>
      )}
      {error && (
        <span className="error-text" role="alert" data-testid="run-tensorboard-error">
          {error}
        </span>
      )}
    </span>
  );
}
