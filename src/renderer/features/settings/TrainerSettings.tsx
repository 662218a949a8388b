/** The trainer part of Settings: LLaMA-Factory or the demo trainer, paths, the LLaMA-Factory folder, and what the engine found. */
import { useEffect, useState } from 'react';
import type { TrainerInfo } from '../../../shared/contract/tasks.js';
import type { Settings, SettingsPatch } from '../../../shared/types/settings.js';
import type { SystemInfo } from '../../../shared/types/system.js';
import { useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';
import { useUi } from '../../stores/ui.js';
import { tryDemo } from '../board/actions.js';

interface Props {
  settings: Settings;
  info: SystemInfo | null;
  save(patch: SettingsPatch): Promise<void>;
}

export function TrainerSettings({ settings, info, save }: Props): React.JSX.Element {
  const t = useT();
  const found = info?.trainers;
  const navigate = useUi((st) => st.navigate);
  const trainer = useTrainerInfo(settings);
  return (
    <div className="panel form-grid" data-testid="trainer-settings">
      <span>{t('settings.trainer.kind')}</span>
      <div role="radiogroup" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
        {(['llamafactory', 'demo'] as const).map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name="trainer-kind"
              data-testid={`trainer-kind-${kind}`}
              checked={settings.trainer.kind === kind}
              onChange={() => void save({ trainer: { kind } })}
            />{' '}
            {t(kind === 'demo' ? 'settings.trainer.demo' : 'settings.trainer.llamafactory')}
          </label>
        ))}
      </div>
      <label htmlFor="set-cli">{t('settings.trainer.cliPath')}</label>
      <div>
        <PathInput id="set-cli" initial={settings.trainer.llamafactoryCli} placeholder="llamafactory-cli" onCommit={(v) => void save({ trainer: { llamafactoryCli: v } })} />
        <div className="muted" data-testid="trainer-cli-found">
          {found?.llamafactoryCli ? t('settings.trainer.found', { path: found.llamafactoryCli }) : t('settings.trainer.notFound')}
        </div>
        {!found?.llamafactoryCli && found?.demoPython && (
          <button
            className="button primary"
            style={{ marginTop: 6 }}
            data-testid="settings-try-demo"
            // Same action as the empty board's button: switch to the demo trainer, import the examples, show the board.
            onClick={() => void tryDemo().then(() => navigate('board'))}
          >
            {t('settings.trainer.tryDemo')}
          </button>
        )}
      </div>
      <label htmlFor="set-lfdir">{t('settings.trainer.lfDir')}</label>
      <div>
        <PathInput
          id="set-lfdir"
          testId="trainer-lfdir"
          initial={settings.trainer.llamafactoryDir}
          placeholder={trainer?.found?.path ?? 'data/dataset_info.json …'}
          onCommit={(v) => void save({ trainer: { llamafactoryDir: v } })}
        />
        <div className="muted" data-testid="trainer-lfdir-found">
          {settings.trainer.llamafactoryDir
            ? t('settings.trainer.lfDirSet', { path: settings.trainer.llamafactoryDir })
            : trainer?.found
              ? t('settings.trainer.lfDirFound', { path: trainer.found.path, how: t(`settings.trainer.lfDirHow.${trainer.found.how}`) })
              : t('settings.trainer.lfDirNone')}
        </div>
        <div className="muted small">{t('settings.trainer.lfDirHint')}</div>
        {trainer && (
          <div className="muted small" data-testid="trainer-keys" data-status={trainer.catalogue.status}>
            {keysLine(t, trainer)}
          </div>
        )}
      </div>
      <label htmlFor="set-python">{t('settings.trainer.python')}</label>
      <div>
        <PathInput id="set-python" initial={settings.trainer.python} placeholder="/usr/bin/python3" onCommit={(v) => void save({ trainer: { python: v } })} />
        <div className="muted" data-testid="trainer-python-found">
          {found?.demoPython
            ? t('settings.trainer.found', { path: found.demoPython })
            : found?.demoChecking
              ? t('settings.trainer.demoChecking', { path: found.demoChecking })
              : t('settings.trainer.demoProblem', { problem: found?.demoProblem ?? '…' })}
        </div>
      </div>
    </div>
  );
}

/** A path setting: edited freely, saved when the field loses focus (empty means "find it"). */
function PathInput(p: { id: string; testId?: string; initial: string | null; placeholder: string; onCommit(value: string | null): void }): React.JSX.Element {
  const [value, setValue] = useState(p.initial ?? '');
  return (
    <input
      id={p.id}
      className="input mono"
      style={{ width: '100%' }}
      data-testid={p.testId}
      value={value}
      placeholder={p.placeholder}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => p.onCommit(value.trim() || null)}
    />
  );
}

/** The engine's view of the LLaMA-Factory behind the CLI; asked again when settings change or tasks are revalidated. */
function useTrainerInfo(settings: Settings): TrainerInfo | null {
  const [info, setInfo] = useState<TrainerInfo | null>(null);
  // tasks.changed follows the installed LLaMA-Factory's answer, so the key-list line updates when it arrives.
  const tasks = useTasks((s) => s.tasks);
  useEffect(() => {
    let live = true;
    useTasks.getState().trainerInfo().then(
      (i) => live && setInfo(i),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [settings, tasks]);
  return info;
}

function keysLine(t: ReturnType<typeof useT>, info: TrainerInfo): string {
  const c = info.catalogue;
  const v = { lf: `LLaMA-Factory ${c.llamafactory ?? '?'}`, tf: c.transformers ?? '?', python: c.python ?? '?' };
  switch (c.status) {
    case 'installed':
      return t('settings.trainer.keys.installed', v);
    case 'reading':
      return t('settings.trainer.keys.reading', v);
    case 'failed':
      return t('settings.trainer.keys.failed', { message: c.message ?? '' });
    default:
      return t('settings.trainer.keys.bundled', { lf: c.llamafactory ?? '?', tf: c.transformers ?? '?' });
  }
}
