/** Tasks over a real SQLite file follow the working-folder rule: imported, dropped in a browser, and after Settings change. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainerInfo } from '../../../src/shared/contract/tasks.js';
import { EventBus } from '../../../src/core/bus.js';
import { createTasksDomain } from '../../../src/core/configs/tasksDomain.js';
import type { CoreContext } from '../../../src/core/context.js';
import type { GpuMonitor } from '../../../src/core/gpu/gpuDomain.js';
import { dataPaths } from '../../../src/core/paths.js';
import type { RunSupervisor } from '../../../src/core/runs/supervisorApi.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import { defaultSettings, type Settings } from '../../../src/shared/types/settings.js';
import type { Task } from '../../../src/shared/types/task.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

const CONFIG = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: identity\ndataset_dir: data\ndeepspeed: examples/deepspeed/ds_z2_config.json\noutput_dir: saves/q/lora/sft\n';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ty-tasks-wd-'));
  // A LLaMA-Factory checkout as a user has it, and a config written for it kept elsewhere.
  const lf = join(dir, 'LLaMA-Factory');
  mkdirSync(join(lf, 'data'), { recursive: true });
  mkdirSync(join(lf, 'examples', 'deepspeed'), { recursive: true });
  writeFileSync(join(lf, 'data', 'dataset_info.json'), JSON.stringify({ identity: { file_name: 'identity.json' } }));
  writeFileSync(join(lf, 'data', 'identity.json'), '[]');
  writeFileSync(join(lf, 'examples', 'deepspeed', 'ds_z2_config.json'), '{"zero_optimization": {"stage": 2}}');
  writeFileSync(join(lf, 'mine.yaml'), CONFIG);
  mkdirSync(join(dir, 'configs'));
  writeFileSync(join(dir, 'configs', 'away.yaml'), CONFIG);
  const paths = dataPaths(join(dir, 'data'));
  const db = openDb(paths.dbFile);
  dbs.push(db);
  let settings: Settings = defaultSettings;
  const bus = new EventBus();
  const ctx: CoreContext = { db, paths, bus, host: 'serve', runtime: sourceTreeRuntime(), resourcesDir, settings: () => settings, env: { HOME: dir, HF_HUB_CACHE: join(dir, 'hub') } };
  const gpus = { snapshot: () => ({ source: 'none', gpus: [], processes: [], notice: null, at: Date.now() }), onSnapshot: () => () => {}, setPidResolver: () => {} } as unknown as GpuMonitor;
  const runs = { list: () => [], active: () => [], get: () => null, onChange: () => () => {}, runIdForPid: () => null } as unknown as RunSupervisor;
  const h = createTasksDomain(ctx, { gpus, runs }).handlers as unknown as Record<string, (p: unknown) => unknown>;
  const call = async <T>(m: string, p: unknown = {}) => (await h[m]!(p)) as T;
  const setSettings = (s: Settings) => {
    settings = s;
    bus.emit('settings.changed', s);
  };
  return { dir, lf, call, bus, setSettings };
}

describe('a task runs in its working folder', () => {
  it('imported from a LLaMA-Factory checkout: runs there and its relative paths check out', async () => {
    const s = setup();
    const { tasks } = await s.call<{ tasks: Task[] }>('tasks.import', { paths: [join(s.lf, 'mine.yaml')] });
    expect(tasks[0]).toMatchObject({ workDir: s.lf, workDirSource: 'near-config', ok: true });
    expect(tasks[0]!.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('kept elsewhere, or dropped in a browser: runs in its own or the tasks folder, and says where paths were looked for', async () => {
    const s = setup();
    const away = (await s.call<{ tasks: Task[] }>('tasks.import', { paths: [join(s.dir, 'configs', 'away.yaml')] })).tasks[0]!;
    expect(away).toMatchObject({ workDir: join(s.dir, 'configs'), workDirSource: 'config-folder', ok: false });
    expect(away.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`dataset_info.json not found in ${join(s.dir, 'configs', 'data')} (dataset_dir "data" resolves against the folder the trainer runs in, ${join(s.dir, 'configs')})`),
        expect.stringContaining(`DeepSpeed config ${join(s.dir, 'configs', 'examples/deepspeed/ds_z2_config.json')} does not exist`),
      ]),
    );
    const dropped = (await s.call<{ tasks: Task[] }>('tasks.import', { files: [{ name: 'dropped.yaml', content: CONFIG }] })).tasks[0]!;
    expect(dropped).toMatchObject({ workDirSource: 'tasks-folder', ok: false });
  });

  it('moves to the LLaMA-Factory folder set in Settings, at once (tasks.changed), for imported and dropped configs alike', async () => {
    const s = setup();
    await s.call('tasks.import', { paths: [join(s.dir, 'configs', 'away.yaml')] });
    await s.call('tasks.import', { files: [{ name: 'dropped.yaml', content: CONFIG }] });
    const seen: Task[][] = [];
    s.bus.on('tasks.changed', (e) => seen.push((e as { tasks: Task[] }).tasks));
    s.setSettings({ ...defaultSettings, trainer: { ...defaultSettings.trainer, llamafactoryDir: s.lf } });
    expect(seen).toHaveLength(1);
    for (const t of seen[0]!) expect(t, t.name).toMatchObject({ workDir: s.lf, workDirSource: 'settings', ok: true });
    const info = await s.call<TrainerInfo>('tasks.trainerInfo');
    expect(info).toMatchObject({ llamafactoryDir: s.lf, found: null, catalogue: { origin: 'bundled', status: 'bundled', llamafactory: '0.9.6.dev0', transformers: '4.57.6' } });
  });

  it('skips special-token description files on import', async () => {
    const s = setup();
    writeFileSync(join(s.dir, 'configs', 'tokens_cfg.yaml'), '"<|START|>": "begins"\n"<|END|>": "ends"\n');
    const r = await s.call<{ tasks: Task[]; skipped: { name: string; reason: string }[] }>('tasks.import', { paths: [join(s.dir, 'configs', 'tokens_cfg.yaml')] });
    expect(r.tasks).toEqual([]);
    expect(r.skipped[0]!.reason).toMatch(/special-token description file/);
  });
  it('imports a LlamaBoard form saved in a run folder of the checkout as LlamaBoard would launch it there', async () => {
    const s = setup();
    const run = join(s.lf, 'saves', 'Qwen2.5-0.5B-Instruct', 'lora', 'train_x');
    mkdirSync(run, { recursive: true });
    mkdirSync(join(s.lf, 'llamaboard_cache'));
    mkdirSync(join(s.lf, 'models', 'qwen05'), { recursive: true });
    writeFileSync(join(s.lf, 'models', 'qwen05', 'config.json'), '{}');
    writeFileSync(join(s.lf, 'llamaboard_cache', 'user_config.yaml'), 'lang: en\npath_dict:\n  Qwen2.5-0.5B-Instruct: models/qwen05\ncache_dir: null\n');
    // As runner.py _build_config_dict saves it: no top.model_path, no train.output_dir.
    writeFileSync(join(run, 'llamaboard_config.yaml'), "top.model_name: Qwen2.5-0.5B-Instruct\ntop.finetuning_type: lora\ntop.checkpoint_path: []\ntop.template: qwen\ntrain.training_stage: Supervised Fine-Tuning\ntrain.dataset:\n- identity\ntrain.neftune_alpha: 5\ntrain.ds_stage: '2'\n");
    const t = (await s.call<{ tasks: Task[] }>('tasks.import', { paths: [join(run, 'llamaboard_config.yaml')] })).tasks[0]!;
    expect(t).toMatchObject({ workDir: s.lf, workDirSource: 'near-config', ok: true });
    const cfg = (await import('yaml')).parse(t.yaml) as Record<string, unknown>;
    expect(cfg).toMatchObject({ model_name_or_path: 'models/qwen05', output_dir: 'saves/Qwen2.5-0.5B-Instruct/lora/train_x', neftune_noise_alpha: 5, deepspeed: join(resourcesDir, 'llamafactory', 'deepspeed', 'ds_z2_config.json') });
    expect(cfg).not.toHaveProperty('adapter_name_or_path');
    expect(t.yaml).toMatch(/^# Converted by Trainyard from the LlamaBoard form llamaboard_config\.yaml/);
  });
});
