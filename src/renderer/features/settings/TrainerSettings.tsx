/** The trainer part of Settings: LLaMA-Factory or the demo trainer, paths, and what the engine found. */
import { useState } from 'react';
import type { Settings, SettingsPatch } from '../../../shared/types/settings.js';
import type { SystemInfo } from '../../../shared/types/system.js';
import { useT } from '../../i18n/index.js';
import { useUi } from '../../stores/ui.js';
import { tryDemo } from '../board/actions.js';

interface Props {
  settings: Settings;
  info: SystemInfo | null;
  save(patch: SettingsPatch): Promise<void>;
}

export function TrainerSettings({ settings, info, save }: Props): React.JSX.Element {
  const t = useT();
  const [cli, setCli] = useState(settings.trainer.llamafactoryCli ?? '');
  const [python, setPython] = useState(settings.trainer.python ?? '');
  const found = info?.trainers;
  const navigate = useUi((st) => st.navigate);
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
        <input
          id="set-cli"
          className="input mono"
          style={{ width: '100%' }}
          value={cli}
          placeholder="llamafactory-cli"
          onChange={(e) => setCli(e.target.value)}
          onBlur={() => void save({ trainer: { llamafactoryCli: cli.trim() || null } })}
        />
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
      <label htmlFor="set-python">{t('settings.trainer.python')}</label>
      <div>
        <input
          id="set-python"
          className="input mono"
          style={{ width: '100%' }}
          value={python}
          placeholder="/usr/bin/python3"
          onChange={(e) => setPython(e.target.value)}
          onBlur={() => void save({ trainer: { python: python.trim() || null } })}
        />
        <div className="muted">
          {found?.demoPython
            ? t('settings.trainer.found', { path: found.demoPython })
            : t('settings.trainer.demoProblem', { problem: found?.demoProblem ?? '…' })}
        </div>
      </div>
    </div>
  );
}
