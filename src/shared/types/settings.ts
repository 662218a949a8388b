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
    /**
     * The LLaMA-Factory folder (the checkout holding data/dataset_info.json) runs start in, so relative `dataset_dir`,
     * `deepspeed` and model paths resolve as they do for the user in a terminal. null = found: the checkout a config sits
     * in, else the one behind llamafactory-cli, else the config's own folder (the one rule: core/configs/workDir.ts).
     */
    llamafactoryDir: z.string().max(4096).nullable(),
  }),
  telemetryIntervalMs: z.number().int().min(250).max(60_000),
  /**
   * How long Stop waits after asking a run to save and exit before it sends SIGTERM (then SIGKILL). Long enough for the
   * final save of a large model by default: a 70B checkpoint from several ranks can take minutes.
   */
  stopGraceSeconds: z.number().int().min(5).max(24 * 3600),
  /** Kept free on each GPU on top of an estimate, for fragmentation and the CUDA context. */
  safetyMarginMiB: z.number().int().min(0).max(65_536),
  /**
   * The most runs the scheduler puts on one GPU at once, whatever memory and compute allow: each run also needs host
   * RAM, CPU cores for its data loader and disk bandwidth. 8 is what the H200 measurement ran
   * (test/fixtures/recorded/h200-concurrency: 8 small LoRA jobs at once gave 4.3× the throughput of one).
   */
  maxRunsPerGpu: z.number().int().min(1).max(64),
  chat: z.object({
    reservedGpuUuid: z.string().max(200).nullable(),
    idleMinutes: z.number().int().min(1).max(24 * 60),
    inferBackend: z.enum(['huggingface', 'vllm']),
  }),
  notifications: z.boolean(),
  /**
   * Slurm lanes (docs/CLUSTERS.md): partitions appear when `sinfo` answers; these are sbatch's defaults for every job
   * (a task may set its own). Each value is one Slurm token: it goes into sbatch's argv and the job script's #SBATCH lines.
   */
  slurm: z.object({
    enabled: z.boolean(),
    account: z.string().regex(/^[A-Za-z0-9_.:+-]{1,64}$/).nullable(),
    qos: z.string().regex(/^[A-Za-z0-9_.:+-]{1,64}$/).nullable(),
    timeLimit: z.string().regex(/^[0-9:-]{1,20}$/, 'minutes, or [days-]hours:minutes:seconds').nullable(),
  }),
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
  trainer: { kind: 'llamafactory', llamafactoryCli: null, python: null, llamafactoryDir: null },
  telemetryIntervalMs: 1000,
  stopGraceSeconds: 300,
  safetyMarginMiB: 2048,
  maxRunsPerGpu: 8,
  chat: { reservedGpuUuid: null, idleMinutes: 30, inferBackend: 'huggingface' },
  notifications: true,
  slurm: { enabled: true, account: null, qos: null, timeLimit: null },
  webhookUrl: null,
};

/** A deep-partial patch: what the Settings page sends when one control changes. */
export const settingsPatchSchema = settingsSchema
  .extend({
    trainer: settingsSchema.shape.trainer.partial(),
    chat: settingsSchema.shape.chat.partial(),
    slurm: settingsSchema.shape.slurm.partial(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
