/** Settings: language, theme, trainer choice (with what was found), stop grace period, remote engines, Slurm defaults, GPU sampling, safety margin, runs per GPU, chat, about. */
import { useRef, useState } from 'react';
import type { Settings } from '../../../shared/types/settings.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { useGpus } from '../../stores/gpus.js';
import { useSettings } from '../../stores/settings.js';
import { localToast } from '../../stores/toasts.js';
import { copyText } from '../runs/clipboard.js';
import { RemoteEngines } from './RemoteEngines.js';
import { TrainerSettings } from './TrainerSettings.js';

export function SettingsView(): React.JSX.Element {
  const t = useT();
  const { settings, info, update, diagnostics } = useSettings();
  const [copying, setCopying] = useState(false);
  // Select the snapshot itself: a selector that builds a new array each call would re-render forever (zustand 5).
  const gpus = useGpus((s) => s.snapshot)?.gpus ?? [];
  if (!settings) return <p className="muted">{t('common.loading')}</p>;
  const save = (patch: Parameters<typeof update>[0]) => update(patch).catch((e) => localToast('error', t('common.error'), errorMessage(e)));
  return (
    <div className="settings" data-testid="settings-view">
      <h1 className="page-title">{t('settings.title')}</h1>
      <div className="panel form-grid">
        <label htmlFor="set-lang">{t('settings.language')}</label>
        <select
          id="set-lang"
          className="input"
          data-testid="settings-language"
          value={settings.language}
          onChange={(e) => void save({ language: e.target.value as Settings['language'] })}
        >
          <option value="en">English</option>
          <option value="zh">中文（简体）</option>
        </select>
        <label htmlFor="set-theme">{t('settings.theme')}</label>
        <select
          id="set-theme"
          className="input"
          data-testid="settings-theme"
          value={settings.theme}
          onChange={(e) => void save({ theme: e.target.value as Settings['theme'] })}
        >
          <option value="system">{t('settings.theme.system')}</option>
          <option value="dark">{t('settings.theme.dark')}</option>
          <option value="light">{t('settings.theme.light')}</option>
        </select>
        <label htmlFor="set-notify">{t('settings.notifications')}</label>
        <input id="set-notify" type="checkbox" checked={settings.notifications} onChange={(e) => void save({ notifications: e.target.checked })} />
        <label htmlFor="set-webhook">{t('settings.webhook')}</label>
        <div>
          <TextField
            id="set-webhook"
            value={settings.webhookUrl ?? ''}
            placeholder="https://hooks.example.com/…"
            onCommit={(v) => void save({ webhookUrl: v.trim() || null })}
          />
          <div className="muted">{t('settings.webhookHint')}</div>
        </div>
      </div>

      <h2 className="section-title">{t('settings.trainer')}</h2>
      <TrainerSettings settings={settings} info={info} save={save} />

      <h2 className="section-title">{t('settings.runs')}</h2>
      <div className="panel form-grid">
        <label htmlFor="set-stop-grace">{t('settings.stopGrace')}</label>
        <div>
          <NumberField id="set-stop-grace" value={settings.stopGraceSeconds} min={5} max={86400} onCommit={(v) => void save({ stopGraceSeconds: v })} />
          <div className="muted">{t('settings.stopGraceHint')}</div>
        </div>
      </div>

      <h2 className="section-title">{t('remotes.title')}</h2>
      <RemoteEngines />

      <h2 className="section-title">{t('settings.slurm')}</h2>
      <div className="panel form-grid" data-testid="settings-slurm">
        <label htmlFor="set-slurm-on">{t('settings.slurm.enabled')}</label>
        <div>
          <input id="set-slurm-on" type="checkbox" checked={settings.slurm.enabled} onChange={(e) => void save({ slurm: { enabled: e.target.checked } })} />
          <div className="muted">{t('settings.slurm.enabledHint')}</div>
        </div>
        <label htmlFor="set-slurm-account">{t('settings.slurm.account')}</label>
        <TextField id="set-slurm-account" value={settings.slurm.account ?? ''} placeholder="—" onCommit={(v) => void save({ slurm: { account: v.trim() || null } })} />
        <label htmlFor="set-slurm-qos">{t('settings.slurm.qos')}</label>
        <TextField id="set-slurm-qos" value={settings.slurm.qos ?? ''} placeholder="—" onCommit={(v) => void save({ slurm: { qos: v.trim() || null } })} />
        <label htmlFor="set-slurm-time">{t('settings.slurm.timeLimit')}</label>
        <div>
          <TextField id="set-slurm-time" value={settings.slurm.timeLimit ?? ''} placeholder="2:00:00" onCommit={(v) => void save({ slurm: { timeLimit: v.trim() || null } })} />
          <div className="muted">{t('settings.slurm.hint')}</div>
        </div>
      </div>

      <h2 className="section-title">GPU</h2>
      <div className="panel form-grid">
        <label htmlFor="set-interval">{t('settings.telemetry')}</label>
        <NumberField id="set-interval" value={settings.telemetryIntervalMs} min={250} max={60000} onCommit={(v) => void save({ telemetryIntervalMs: v })} />
        <label htmlFor="set-margin">{t('settings.margin')}</label>
        <NumberField id="set-margin" value={settings.safetyMarginMiB} min={0} max={65536} onCommit={(v) => void save({ safetyMarginMiB: v })} />
        <label htmlFor="set-runs-per-gpu">{t('settings.runsPerGpu')}</label>
        <div>
          <NumberField id="set-runs-per-gpu" value={settings.maxRunsPerGpu} min={1} max={64} onCommit={(v) => void save({ maxRunsPerGpu: v })} />
          <div className="muted">{t('settings.runsPerGpuHint')}</div>
        </div>
      </div>

      <h2 className="section-title">{t('settings.chat')}</h2>
      <div className="panel form-grid">
        <label htmlFor="set-reserved">{t('settings.chat.reserved')}</label>
        <select
          id="set-reserved"
          className="input"
          data-testid="settings-chat-reserved"
          value={settings.chat.reservedGpuUuid ?? ''}
          onChange={(e) => void save({ chat: { reservedGpuUuid: e.target.value || null } })}
        >
          <option value="">{t('common.none')}</option>
          {gpus.map((g) => (
            <option key={g.uuid} value={g.uuid}>
              #{g.index} {g.name}
            </option>
          ))}
        </select>
        <label htmlFor="set-idle">{t('settings.chat.idle')}</label>
        <NumberField id="set-idle" value={settings.chat.idleMinutes} min={1} max={1440} onCommit={(v) => void save({ chat: { idleMinutes: v } })} />
        <label htmlFor="set-backend">{t('settings.chat.backend')}</label>
        <select
          id="set-backend"
          className="input"
          value={settings.chat.inferBackend}
          onChange={(e) => void save({ chat: { inferBackend: e.target.value as Settings['chat']['inferBackend'] } })}
        >
          <option value="huggingface">huggingface</option>
          <option value="vllm">vllm</option>
        </select>
      </div>

      <h2 className="section-title">{t('settings.about')}</h2>
      <div className="panel form-grid">
        <span>{t('settings.version')}</span>
        <span className="mono" data-testid="about-version">
          {info?.version ?? '…'}
        </span>
        <span>{t('settings.dataDir')}</span>
        <span className="mono">{info?.dataDir ?? '…'}</span>
        <span>{t('settings.diagnostics')}</span>
        <span>
          <button
            className="button"
            data-testid="copy-diagnostics"
            disabled={copying}
            title={t('settings.diagnosticsHint')}
            onClick={() => {
              setCopying(true);
              diagnostics()
                .then(copyText)
                .then(() => localToast('success', t('settings.diagnosticsCopied')))
                .catch((e: unknown) => localToast('error', t('common.error'), errorMessage(e)))
                .finally(() => setCopying(false));
            }}
          >
            {copying ? t('settings.diagnosticsCollecting') : t('settings.copyDiagnostics')}
          </button>
        </span>
      </div>
    </div>
  );
}

function NumberField(props: { id: string; value: number; min: number; max: number; onCommit(v: number): void }): React.JSX.Element {
  const [text, setText] = useState(String(props.value));
  const commit = () => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= props.min && n <= props.max && n !== props.value) props.onCommit(n);
    else setText(String(props.value));
  };
  return (
    <input
      id={props.id}
      className="input"
      type="number"
      min={props.min}
      max={props.max}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

function TextField(props: { id: string; value: string; placeholder: string; onCommit(v: string): void }): React.JSX.Element {
  const [text, setText] = useState(props.value);
  // A value the engine refused stays in the field to be corrected, but is not sent again on every blur.
  const sent = useRef<string | null>(null);
  const commit = () => {
    if (text === props.value || text === sent.current) return;
    sent.current = text;
    props.onCommit(text);
  };
  return (
    <input
      id={props.id}
      className="input mono"
      style={{ width: '100%' }}
      data-testid={props.id}
      value={text}
      placeholder={props.placeholder}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}
