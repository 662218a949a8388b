/** Actions on a run: stop gracefully (confirmed), restart, resume from the last checkpoint, open the output folder, get the log. */
import { useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { api } from '../../api/client.js';
import { useT } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { useRuns } from '../../stores/runs.js';
import { useUi } from '../../stores/ui.js';
import { useBusyAction } from './useBusyAction.js';
import { isActive } from './runList.js';
import { PathPopover } from './PathPopover.js';

export function RunActions({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const { stop, restart } = useRuns();
  const navigate = useUi((s) => s.navigate);
  const [confirming, setConfirming] = useState(false);
  const { busy, act } = useBusyAction();
  const [shownPath, setShownPath] = useState<string | null>(null);
  const live = isActive(run.status);

  const relaunch = (resume: boolean) =>
    void act(resume ? 'runs.err.resume' : 'runs.err.restart', async () => navigate('runs', (await restart(run.id, resume)).id));
  const openFolder = () =>
    void act('runs.err.openFolder', async () => {
      const { path } = await api.call('runs.openFolder', { id: run.id });
      // In a browser the engine may be on another machine: show the path to copy instead of opening it.
      if (desktop) await desktop.openPath(path);
      else setShownPath(path);
    });

  if (confirming)
    return (
      <div className="run-actions confirm" role="group" data-testid="run-stop-confirm">
        <span>{t('runs.stopConfirm')}</span>
        <button
          className="button danger"
          data-testid="run-stop-yes"
          disabled={busy}
          onClick={() => void act('runs.err.stop', () => stop(run.id)).then(() => setConfirming(false))}
        >
          {t('runs.stopYes')}
        </button>
        <button className="button" onClick={() => setConfirming(false)}>
          {t('common.cancel')}
        </button>
      </div>
    );

  return (
    <div className="run-actions" role="group">
      {live && (
        <button
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
      {/* A failed run offers resume in its failure banner, next to the reason: not twice. */}
      {!live && run.kind === 'train' && !(run.failure && (run.status === 'failed' || run.status === 'lost')) && (
        <button className="button" data-testid="run-resume" disabled={busy} title={t('runs.resumeHint')} onClick={() => relaunch(true)}>
          {t('runs.resume')}
        </button>
      )}
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
        <a className="button" data-testid="run-download-log" href={`/api/runs/${encodeURIComponent(run.id)}/log`} download>
          {t('runs.downloadLog')}
        </a>
      )}
    </div>
  );
}
