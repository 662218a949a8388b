/** System domain: engine info, trainer availability, settings read/write, toasts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { systemMethods, systemTopics } from '../../shared/contract/system.js';
import type { Settings } from '../../shared/types/settings.js';
import type { Toast, ToastEvent, ToastLevel } from '../../shared/types/system.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import { detectTrainers } from '../runs/trainerCommand.js';
import { applySettingsPatch, saveSettings } from '../store/settingsRepo.js';
import { newId } from '../util/ids.js';

type M = typeof systemMethods;
type T = typeof systemTopics;

export function appVersion(resourcesDir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(resourcesDir, '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function toast(ctx: CoreContext, level: ToastLevel, title: string, body: string, runId?: string, event?: ToastEvent): Toast {
  const t: Toast = { id: newId('toast'), level, title, body, at: Date.now(), ...(runId ? { runId } : {}), ...(event ? { event } : {}) };
  ctx.bus.emit('toast', t);
  return t;
}

export function createSystemDomain(ctx: CoreContext, setSettings: (s: Settings) => void): Domain<M, T> {
  return {
    handlers: {
      'system.info': () => ({
        version: appVersion(ctx.resourcesDir),
        host: ctx.host,
        dataDir: ctx.paths.dataDir,
        platform: `${process.platform}-${process.arch}`,
        trainers: detectTrainers(ctx.settings(), ctx.env),
        examplesDir: join(ctx.resourcesDir, 'examples'),
      }),
      'system.ping': () => ({ at: Date.now() }),
      'settings.get': () => ctx.settings(),
      'settings.update': (patch) => {
        const next = applySettingsPatch(ctx.settings(), patch);
        saveSettings(ctx.db, next);
        setSettings(next);
        ctx.bus.emit('settings.changed', next);
        return next;
      },
    },
    subscriptions: {
      'settings.changed': (_p, send) => ctx.bus.on('settings.changed', send),
      toast: (_p, send) => ctx.bus.on('toast', send),
    },
  };
}
