/** Contract of engine-wide requests: info, settings, toasts. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import { settingsPatchSchema, type Settings } from '../types/settings.js';
import type { SystemInfo, Toast } from '../types/system.js';

export const systemMethods = {
  'system.info': method<SystemInfo>()(z.object({}).strict()),
  'system.ping': method<{ at: number }>()(z.object({}).strict()),
  'settings.get': method<Settings>()(z.object({}).strict()),
  'settings.update': method<Settings>()(settingsPatchSchema),
};

export const systemTopics = {
  'settings.changed': topic<Settings>()(z.object({}).strict()),
  toast: topic<Toast>()(z.object({}).strict()),
};
