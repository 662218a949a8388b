/** "Export merged model" on a finished LoRA run (its output folder holds an adapter), and "Chat" on the merged model an export run wrote. */
import { useEffect } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { exportMergedModel, useRunDetail, watchRunFiles } from '../../stores/runDetail.js';
import { useUi } from '../../stores/ui.js';
import { useBusyAction } from './useBusyAction.js';

export function ExportAction({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const navigate = useUi((s) => s.navigate);
  const { busy, act } = useBusyAction();
  const ended = run.status === 'finished' || run.status === 'stopped';
  // A full fine-tune saved the whole model: only an adapter (adapter_config.json) has something to merge.
  const hasAdapter = useRunDetail((s) => !!s.files[run.id]?.value?.some((f) => f.name === 'adapter_config.json' && !f.isDir));
  const wanted = run.kind === 'train' && ended;
  useEffect(() => (wanted ? watchRunFiles(run.id, false) : undefined), [run.id, wanted]);

  if (run.kind === 'export')
    return run.status === 'finished' ? (
      <button className="button" data-testid="run-chat-merged" onClick={() => navigate('chat', run.id)}>
        {t('runs.export.chat')}
      </button>
    ) : null;
  if (run.kind !== 'train' || !ended || !hasAdapter) return null;
  return (
    <button
      className="button"
      data-testid="run-export"
      disabled={busy}
      title={t('runs.export.hint')}
      onClick={() => void act('runs.err.export', async () => navigate('runs', (await exportMergedModel(run.id)).id))}
    >
      {t('runs.export.button')}
    </button>
  );
}
