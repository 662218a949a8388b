/** System domain: engine info, trainer availability, settings read/write, toasts. */
import { join } from 'node:path';
import type { systemMethods, systemTopics } from '../../shared/contract/system.js';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { Settings } from '../../shared/types/settings.js';
import type { Message } from '../../shared/messages/message.js';
import type { Toast, ToastLevel } from '../../shared/types/system.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import { detectTrainers, resolveTrainers, settledTrainers } from '../runs/trainerCommand.js';
import { newId } from '../util/ids.js';
import { buildDiagnostics } from './diagnostics.js';
import { createSettingsService } from './settingsService.js';

type M = typeof systemMethods;
type T = typeof systemTopics;

export function toast(ctx: CoreContext, level: ToastLevel, title: Message, body: Message, runId?: string): Toast {
  const t: Toast = { id: newId('toast'), level, title, body, at: Date.now(), ...(runId ? { runId } : {}) };
  ctx.bus.emit('toast', t);
  return t;
}

export function createSystemDomain(ctx: CoreContext, setSettings: (s: Settings) => void, gpus: () => GpuSnapshot): Domain<M, T> {
  const settings = createSettingsService(ctx, setSettings);
  let announcing = false;
  /** What is known now; while a PyTorch check runs, pages hear `trainers.changed` once every check has answered. */
  const trainers = () => {
    const now = detectTrainers(ctx.settings(), ctx.env);
    if (now.demoChecking && !announcing) {
      announcing = true;
      void settledTrainers(ctx.settings, ctx.env)
        .then((t) => ctx.bus.emit('trainers.changed', t))
        .finally(() => (announcing = false));
    }
    return now;
  };
  return {
    handlers: {
      'system.info': () => ({
        version: ctx.runtime.version,
        host: ctx.host,
        dataDir: ctx.paths.dataDir,
        platform: `${process.platform}-${process.arch}`,
        trainers: trainers(),
        examplesDir: join(ctx.resourcesDir, 'examples'),
      }),
      'system.ping': () => ({ at: Date.now() }),
      'system.diagnostics': async () => ({ text: await buildDiagnostics(ctx, gpus, await resolveTrainers(ctx.settings(), ctx.env)) }),
      'settings.get': () => ctx.settings(),
      'settings.update': (patch) => settings.update(patch),
    },
    subscriptions: {
      'settings.changed': (_p, send) => ctx.bus.on('settings.changed', send),
      toast: (_p, send) => ctx.bus.on('toast', send),
      'trainers.changed': (_p, send) => ctx.bus.on('trainers.changed', send),
    },
  };
}
