/** TensorBoard over the compared runs: one TensorBoard naming each selected run (they must report_to: tensorboard), opened in the desktop's browser or linked in serve. */
import { useState } from 'react';
import type { TensorBoardInfo } from '../../../shared/contract/runs.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { startTensorBoard } from '../../stores/runDetail.js';
import { localToast } from '../../stores/toasts.js';

export function CompareTensorBoard({ selected }: { selected: string[] }): React.JSX.Element {
  const t = useT();
  const [board, setBoard] = useState<TensorBoardInfo | null>(null);
  const [busy, setBusy] = useState(false);
  // A link for another set of runs would mislead: it is shown only while the selection is the one it was started for.
  const current = board && board.runIds.length === selected.length && board.runIds.every((id) => selected.includes(id)) ? board : null;
  const start = async () => {
    setBusy(true);
    try {
      const info = await startTensorBoard(selected);
      setBoard(info);
      if (desktop) await desktop.openExternal(info.url);
    } catch (e) {
      localToast('error', t('compare.tb.failed'), errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return current ? (
    <a className="button" href={current.url} target="_blank" rel="noreferrer" data-testid="compare-tensorboard-link">
      {t('runs.tb.open', { url: current.url })}
    </a>
  ) : (
    <button className="button" disabled={!selected.length || busy} title={t('compare.tb.hint')} onClick={() => void start()} data-testid="compare-tensorboard">
      {busy ? t('runs.tb.starting') : t('runs.tb.start')}
    </button>
  );
}
