/** The run's files to take away: in a browser (serve) its log, config, predictions and adapter download through tickets; the desktop app opens their folder instead. */
import type { RunFile } from '../../../shared/contract/runs.js';
import type { Run } from '../../../shared/types/run.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';
import { downloadRunFile } from '../../stores/runDetail.js';
import { fileKind } from './fileKind.js';

/** The serve route of a run's download (src/server/runDownloads.ts). */
export const runDownloadPath = (runId: string, what: string): string => `/api/runs/${encodeURIComponent(runId)}/${what}`;

interface Props {
  run: Run;
  files: RunFile[];
  onError(message: string): void;
}

export function RunDownloads({ run, files, onError }: Props): React.JSX.Element {
  const t = useT();
  const hasAdapter = files.some((f) => fileKind(f) === 'adapter');
  const hasPredictions = files.some((f) => f.name === 'generated_predictions.jsonl' && !f.isDir);
  const items: { what: string; label: MessageKey; folder: string }[] = [
    { what: 'log', label: 'runs.files.dl.log', folder: run.runDir },
    { what: 'config', label: 'runs.files.dl.config', folder: run.runDir },
    ...(hasPredictions ? [{ what: 'predictions', label: 'runs.files.dl.predictions' as MessageKey, folder: run.outputDir }] : []),
    ...(hasAdapter ? [{ what: 'adapter', label: 'runs.files.dl.adapter' as MessageKey, folder: run.outputDir }] : []),
    // A merged model (export run) is its folder's files too: the same tar route.
    ...(run.kind === 'export' && files.some((f) => f.name === 'config.json') ? [{ what: 'adapter', label: 'runs.files.dl.model' as MessageKey, folder: run.outputDir }] : []),
  ];
  const take = (what: string, folder: string) => {
    // The desktop app has the files on this machine: show them where they are rather than copying gigabytes.
    const p = desktop ? desktop.openPath(folder) : downloadRunFile(runDownloadPath(run.id, what));
    void p.catch((e: unknown) => onError(t('runs.files.dl.failed', { error: errorMessage(e) })));
  };
  return (
    <div className="run-downloads" role="group" aria-label={t('runs.files.dl.title')}>
      <span className="muted small">{desktop ? t('runs.files.dl.titleDesktop') : t('runs.files.dl.title')}</span>
      {items.map((i) => (
        <button key={i.what} type="button" className="button small" data-testid={`run-dl-${i.what}`} onClick={() => take(i.what, i.folder)}>
          {t(i.label)}
        </button>
      ))}
    </div>
  );
}

/** The per-checkpoint action: a tar of that folder in a browser. */
export function checkpointDownload(run: Run, name: string): Promise<void> {
  return downloadRunFile(runDownloadPath(run.id, `adapter/${name}`));
}
