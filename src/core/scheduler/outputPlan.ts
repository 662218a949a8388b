/** The output folder of every board item before and while it runs: the config's output_dir unless another run would share it. */
import { isRunActive } from '../../shared/domain/runState.js';
import { parse } from 'yaml';
import type { Run } from '../../shared/types/run.js';
import type { PlannedOutput, QueueItem, Task } from '../../shared/types/task.js';
import { chooseOutputDir, hasRunOutputs } from '../runs/prepareLaunch.js';

/** The config's output_dir, or undefined when the YAML does not parse or has none (validation reports those). */
function configuredOutputDir(task: Task): unknown {
  try {
    const doc = parse(task.yaml) as Record<string, unknown> | null;
    return doc && typeof doc === 'object' ? doc.output_dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Plans every active item's folder with the one rule (chooseOutputDir): folders of active runs are taken first, then the
 * waiting items claim theirs in a fixed order (oldest first), so the folder a card shows is the one its run gets
 * whichever item a GPU frees up for first. An item whose run is under way shows that run's folder.
 */
export function planOutputs(
  items: readonly QueueItem[],
  taskOf: (id: string) => Task | null,
  runOf: (id: string) => Run | null,
  activeRuns: readonly Run[],
  appDirs: readonly string[] = [],
  used: (dir: string) => boolean = hasRunOutputs,
): Map<string, PlannedOutput> {
  const out = new Map<string, PlannedOutput>();
  const claimed = new Set(activeRuns.map((r) => r.outputDir).filter(Boolean));
  const waiting: QueueItem[] = [];
  for (const it of items) {
    const run = it.runId ? runOf(it.runId) : null;
    const task = taskOf(it.taskId);
    if (isRunActive(run)) {
      const configured = task ? chooseOutputDir(configuredOutputDir(task), task.workDir, new Set(), () => false).configured : null;
      out.set(it.id, { path: run.outputDir || null, configured, reason: 'running' });
    } else if (task && it.state !== 'done' && it.state !== 'cancelled') {
      waiting.push(it);
    }
  }
  waiting.sort((a, b) => a.createdAt - b.createdAt || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const it of waiting) {
    const task = taskOf(it.taskId)!;
    const plan = chooseOutputDir(configuredOutputDir(task), task.workDir, claimed, used, appDirs);
    if (plan.path) claimed.add(plan.path);
    out.set(it.id, plan);
  }
  return out;
}
