/** Importing a LlamaBoard saved form as a task: the context LlamaBoard would have had (its folder's user config, the run folder), and the YAML. */
import { dirname, join } from 'node:path';
import { Document, parse } from 'yaml';
import { readHead } from './lfInstall.js';
import { convertLlamaBoard, deepspeedFile, llamaBoardTables, type ConvertContext } from './llamaboard.js';

export interface LlamaBoardSource {
  name: string;
  /** Where the form was read from (null when dropped into a browser). */
  path: string | null;
  /** The LLaMA-Factory folder the task will run in: LlamaBoard's cwd, holding llamaboard_cache/ and saves/. */
  lfDir: string | null;
  resourcesDir: string;
  env: NodeJS.ProcessEnv;
  now?: Date;
}

type UserConfig = NonNullable<ConvertContext['userConfig']> & { hub_name?: string };

/** llamaboard_cache/user_config.yaml (common.py load_config): path_dict and cache_dir LlamaBoard fills the form from. */
function userConfig(lfDir: string | null, cacheDir: string, file: string): UserConfig | null {
  if (!lfDir) return null;
  const text = readHead(join(lfDir, cacheDir, file), 1024 * 1024);
  try {
    const v = text ? (parse(text) as unknown) : null;
    return v && typeof v === 'object' ? (v as UserConfig) : null;
  } catch {
    return null;
  }
}

export function llamaBoardContext(data: Record<string, unknown>, src: LlamaBoardSource): ConvertContext {
  const tables = llamaBoardTables(src.resourcesDir);
  const user = userConfig(src.lfDir, tables.cacheDir, tables.userConfig);
  // A form saved next to a run (saves/<model>/<method>/<name>/llamaboard_config.yaml) ran in that folder.
  const folder = src.path ? dirname(src.path).split(/[\\/]/) : [];
  const at = folder.lastIndexOf(tables.saveDir);
  const savedIn = at >= 0 && folder.length - at === 4 ? folder.slice(at).join('/') : null;
  const hubName = String(data['top.hub_name'] ?? user?.hub_name ?? (src.env.USE_MODELSCOPE_HUB === '1' ? 'modelscope' : src.env.USE_OPENMIND_HUB === '1' ? 'openmind' : 'huggingface'));
  return {
    tables,
    userConfig: user,
    savedIn,
    deepspeed: (stage, offload) => deepspeedFile(src.resourcesDir, stage, offload),
    hub: hubName === 'modelscope' || hubName === 'openmind' ? hubName : 'huggingface',
    now: src.now ?? new Date(),
  };
}

/** The task's YAML: LlamaBoard's training_args.yaml for this form, with a header saying where it came from. */
export function llamaBoardTaskYaml(data: Record<string, unknown>, src: LlamaBoardSource): string {
  const conv = convertLlamaBoard(data, llamaBoardContext(data, src));
  const doc = new Document(conv.config);
  doc.commentBefore = [
    ` Converted by Trainyard from the LlamaBoard form ${src.name}, as LlamaBoard's runner (webui/runner.py) builds its arguments.`,
    ...conv.notes.map((n) => ` ${n}`),
    ...(conv.unused.length ? [` Form fields LlamaBoard's runner does not pass on either: ${conv.unused.join(', ')}`] : []),
  ].join('\n');
  return doc.toString();
}
