/** Actions on a run: stop gracefully (confirmed), restart, resume from the last checkpoint, open the output folder, get the log. */
import { useEffect, useRef, useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { useCompare } from '../../stores/compare.js';
import { downloadRunFile, runFolder } from '../../stores/runDetail.js';
import { useCheckpoints, useRuns } from '../../stores/runs.js';
import { useUi } from '../../stores/ui.js';
import { useBusyAction } from './useBusyAction.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';
import { PathPopover } from './PathPopover.js';
import { runDownloadPath } from './RunDownloads.js';
import { ExportAction } from './ExportAction.js';
import { TensorBoardAction } from './TensorBoardAction.js';

export function RunActions({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const { stop, restart } = useRuns();
  const navigate = useUi((s) => s.navigate);
  const [confirming, setConfirming] = useState(false);
  const stopButton = useRef<HTMLButtonElement>(null);
  const actions = useRef<HTMLDivElement>(null);
  const wasConfirming = useRef(false);
  // The question replaces the Stop button: once it is answered (or taken back), the focus goes back to Stop when it
  // can take it, else to the first action that can (a stopping run's Stop is disabled), not to the page's start.
  useEffect(() => {
    if (wasConfirming.current && !confirming) [stopButton.current, ...(actions.current?.querySelectorAll('button') ?? [])].find((b) => b && !b.disabled)?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  const { busy, act } = useBusyAction();
  const [shownPath, setShownPath] = useState<string | null>(null);
  const live = isActiveStatus(run.status);
  const checkpoints = useCheckpoints(run);
  const latest = checkpoints?.at(-1) ?? null;
  // Compare opens with this run selected and pinned as the baseline the others are read against.
  const compareWith = () => {
    useCompare.getState().focus(run.id);
    navigate('compare');
  };

  const relaunch = (resume: boolean) =>
    void act(resume ? 'runs.err.resume' : 'runs.err.restart', async () => navigate('runs', (await restart(run.id, resume)).id));
  const openFolder = () =>
    void act('runs.err.openFolder', async () => {
      const path = await runFolder(run.id);
      // In a browser the engine may be on another machine: show the path to copy instead of opening it.
      if (desktop) await desktop.openPath(path);
      else setShownPath(path);
    });

  const downloadLog = () => void act('runs.err.downloadLog', () => downloadRunFile(runDownloadPath(run.id, 'log')));

  if (confirming)
    return (
      <div className="run-actions confirm" role="group" data-testid="run-stop-confirm" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setConfirming(false))}>
        <span>{t('runs.stopConfirm')}</span>
        <button
          className="button danger"
          data-testid="run-stop-yes"
          disabled={busy}
          onClick={() => void act('runs.err.stop', () => stop(run.id)).then(() => setConfirming(false))}
        >
          {t('runs.stopYes')}
        </button>
        {/* Focus starts on the answer that changes nothing: an Enter pressed in a hurry stops no run. */}
        <button className="button" data-testid="run-stop-no" autoFocus onClick={() => setConfirming(false)}>
          {t('common.cancel')}
        </button>
      </div>
    );

  return (
    <div className="run-actions" role="group" ref={actions}>
      {live && (
        <button
          ref={stopButton}
          className="button danger"
          data-testid="run-stop"
          disabled={busy || run.status === 'stopping'}
          title={t('runs.stopHint')}
          onClick={() => setConfirming(true)}
        >
          {run.status === 'stopping' ? t('runs.stopping') : t('runs.stop')}
        </button>
      )}
      {!live && (
        <button className="button" data-testid="run-restart" disabled={busy} title={t('runs.restartHint')} onClick={() => relaunch(false)}>
          {t('runs.restart')}
        </button>
      )}
      {/* A failed run offers resume in its failure banner, next to the reason: not twice. Only with a checkpoint to
          resume from: without one LLaMA-Factory would start again from step 0. */}
      {!live && run.kind === 'train' && latest && !(run.failure && (run.status === 'failed' || run.status === 'lost')) && (
        <button className="button" data-testid="run-resume" disabled={busy} title={t('runs.resumeHint', { checkpoint: latest })} onClick={() => relaunch(true)}>
          {t('runs.resumeFrom', { checkpoint: latest })}
        </button>
      )}
      {run.kind === 'train' && run.status === 'finished' && (
        <>
          <select
            className="button"
            data-testid="run-chat"
            aria-label={t('runs.chatWith')}
            value=""
            onChange={(e) => e.target.value && navigate('chat', e.target.value === 'final' ? run.id : `${run.id}@${e.target.value}`)}
          >
            <option value="">{t('runs.chat')}</option>
            <option value="final">{t('runs.chatFinal')}</option>
            {(checkpoints ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <button className="button" data-testid="run-compare-with" onClick={compareWith} title={t('runs.compareWithHint')}>
            {t('runs.compareWith')}
          </button>
        </>
      )}
      <ExportAction run={run} />
      <TensorBoardAction run={run} />
      <div className="popover-anchor">
        <button className="button" data-testid="run-open-folder" disabled={busy} onClick={openFolder}>
          {t('runs.openFolder')}
        </button>
        {shownPath && <PathPopover path={shownPath} hint={t('runs.folderHint')} onClose={() => setShownPath(null)} />}
      </div>
      {desktop ? (
        <button className="button" data-testid="run-download-log" onClick={() => void desktop?.openPath(run.runDir)}>
          {t('runs.openLogFolder')}
        </button>
      ) : (
        <button className="button" data-testid="run-download-log" onClick={downloadLog}>
          {t('runs.downloadLog')}
        </button>
      )}
    </div>
  );
}
