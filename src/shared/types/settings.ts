/** User settings: one JSON document in the store, validated by this schema on every write. */
import { z } from 'zod';

export const settingsSchema = z.object({
  language: z.enum(['en', 'zh']),
  theme: z.enum(['dark', 'light', 'system']),
  trainer: z.object({
    /** llamafactory: `llamafactory-cli` (path below or on PATH); demo: the bundled demo trainer. */
    kind: z.enum(['llamafactory', 'demo']),
    llamafactoryCli: z.string().max(4096).nullable(),
    /** Python that runs the demo trainer (needs torch); null = detect. */
    python: z.string().max(4096).nullable(),
  }),
  telemetryIntervalMs: z.number().int().min(250).max(60_000),
  /** Kept free on each GPU on top of an estimate, for fragmentation and the CUDA context. */
  safetyMarginMiB: z.number().int().min(0).max(65_536),
  chat: z.object({
    reservedGpuUuid: z.string().max(200).nullable(),
    idleMinutes: z.number().int().min(1).max(24 * 60),
    inferBackend: z.enum(['huggingface', 'vllm']),
  }),
  notifications: z.boolean(),
  /** POSTed a JSON message when a run finishes or fails (Slack/Feishu/DingTalk-style incoming webhooks, or your own). */
  webhookUrl: z
    .string()
    .max(2000)
    .regex(/^https?:\/\//, 'must start with http:// or https://')
    .nullable(),
});

export type Settings = z.infer<typeof settingsSchema>;

export const defaultSettings: Settings = {
  language: 'en',
  theme: 'system',
  trainer: { kind: 'llamafactory', llamafactoryCli: null, python: null },
  telemetryIntervalMs: 1000,
  safetyMarginMiB: 2048,
  chat: { reservedGpuUuid: null, idleMinutes: 30, inferBackend: 'huggingface' },
  notifications: true,
  webhookUrl: null,
};

/** A deep-partial patch: what the Settings page sends when one control changes. */
export const settingsPatchSchema = settingsSchema
  .extend({
    trainer: settingsSchema.shape.trainer.partial(),
    chat: settingsSchema.shape.chat.partial(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
