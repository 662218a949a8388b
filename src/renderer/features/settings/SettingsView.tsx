/** Settings: language, theme, trainer choice (with what was found), GPU sampling, safety margin, chat, about. */
import { useState } from 'react';
import type { Settings } from '../../../shared/types/settings.js';
import { errorMessage } from '../../api/client.js';
import { useT } from '../../i18n/index.js';
import { useGpus } from '../../stores/gpus.js';
import { useSettings } from '../../stores/settings.js';
import { localToast } from '../../stores/toasts.js';
import { TrainerSettings } from './TrainerSettings.js';

export function SettingsView(): React.JSX.Element {
  const t = useT();
  const { settings, info, update } = useSettings();
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

      <h2 className="section-title">GPU</h2>
      <div className="panel form-grid">
        <label htmlFor="set-interval">{t('settings.telemetry')}</label>
        <NumberField id="set-interval" value={settings.telemetryIntervalMs} min={250} max={60000} onCommit={(v) => void save({ telemetryIntervalMs: v })} />
        <label htmlFor="set-margin">{t('settings.margin')}</label>
        <NumberField id="set-margin" value={settings.safetyMarginMiB} min={0} max={65536} onCommit={(v) => void save({ safetyMarginMiB: v })} />
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
        <span className="mono">{info?.version ?? '…'}</span>
        <span>{t('settings.dataDir')}</span>
        <span className="mono">{info?.dataDir ?? '…'}</span>
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
  const commit = () => text !== props.value && props.onCommit(text);
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
