/** The run's output folder: checkpoints, adapter, results JSON and plots, with sizes; open or copy a path, download (serve) or open (desktop) what to take away. */
import { useEffect, useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { useRunDetail, watchRunFiles } from '../../stores/runDetail.js';
import { copyText } from './clipboard.js';
import { fileKind } from './fileKind.js';
import { formatBytes } from './format.js';
import { checkpointDownload, RunDownloads } from './RunDownloads.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';

export function FilesTab({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const files = useRunDetail((s) => s.files[run.id]?.value ?? null);
  const error = useRunDetail((s) => s.files[run.id]?.error ?? null);
  const [note, setNote] = useState<string | null>(null);
  const live = isActiveStatus(run.status);

  // Checkpoints appear (and rotate away) while training: the store refreshes the list while the run is live.
  useEffect(() => watchRunFiles(run.id, live), [run.id, live]);

  const open = (path: string) => {
    if (desktop) void desktop.openPath(path).catch((e: unknown) => setNote(errorMessage(e)));
    else copyText(path).then(() => setNote(t('runs.files.pathCopied', { path })), (e) => setNote(t('runs.copyFailed', { error: errorMessage(e) })));
  };

  if (error) return <div className="empty" role="alert">{t('runs.files.error', { error })}</div>;
  if (!files) return <p className="muted">{t('common.loading')}</p>;
  return (
    <section className="panel" data-testid="run-files">
      <div className="tab-toolbar">
        <code className="mono muted path">{run.outputDir}</code>
      </div>
      <RunDownloads run={run} files={files} onError={setNote} />
      {note && <p className="muted" role="status">{note}</p>}
      {files.length === 0 ? (
        <div className="empty">{t('runs.files.none')}</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('runs.files.name')}</th>
              <th>{t('runs.files.kind')}</th>
              <th>{t('runs.files.size')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {files.map((f) => {
              const kind = fileKind(f);
              return (
                <tr key={f.path} data-testid="run-file" data-kind={kind}>
                  <td className="mono">{f.name}{f.isDir ? '/' : ''}</td>
                  <td>{kind === 'other' ? '' : <span className={`badge ${kind === 'adapter' ? 'ok' : ''}`}>{t(`runs.files.kind.${kind}` as MessageKey)}</span>}</td>
                  <td className="mono">{formatBytes(f.size)}</td>
                  <td>
                    <button className="button" onClick={() => open(f.path)}>
                      {desktop ? t('runs.files.open') : t('runs.files.copyPath')}
                    </button>
                    {!desktop && kind === 'checkpoint' && (
                      <button
                        className="button"
                        data-testid="run-dl-checkpoint"
                        onClick={() => void checkpointDownload(run, f.name).catch((e: unknown) => setNote(t('runs.files.dl.failed', { error: errorMessage(e) })))}
                      >
                        {t('runs.files.dl.checkpoint')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
