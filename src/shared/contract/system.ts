/** Contract of engine-wide requests: info, settings, toasts. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import { settingsPatchSchema, type Settings } from '../types/settings.js';
import type { SystemInfo, Toast, TrainerAvailability } from '../types/system.js';

export const systemMethods = {
  'system.info': method<SystemInfo>()(z.object({}).strict()),
  'system.ping': method<{ at: number }>()(z.object({}).strict()),
  /** Versions, settings (secrets masked), the GPU snapshot and the last 1 MB of engine.log, as text for a bug report. */
  'system.diagnostics': method<{ text: string }>()(z.object({}).strict()),
  'settings.get': method<Settings>()(z.object({}).strict()),
  'settings.update': method<Settings>()(settingsPatchSchema),
};

export const systemTopics = {
  'settings.changed': topic<Settings>()(z.object({}).strict()),
  toast: topic<Toast>()(z.object({}).strict()),
  /** Trainer availability after a PyTorch check that `system.info` reported as checking has answered. */
  'trainers.changed': topic<TrainerAvailability>()(z.object({}).strict()),
};
