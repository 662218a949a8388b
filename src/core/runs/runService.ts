/** Runs' request work beyond the supervisor: restart and resume, metrics, the output folder's files, the config copy, notes and tags. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { isActiveStatus } from '../../shared/domain/runState.js';
import type { RunFile } from '../../shared/contract/runs.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { MetricPoint, Run } from '../../shared/types/run.js';
import { lttb } from '../../shared/util/lttb.js';
import { latestCheckpoint } from './checkpoints.js';
import type { Supervisor } from './supervisor.js';
import type { LaunchSpec, RunSupervisor } from './supervisorApi.js';

/** Keeps every eval point (few, and each matters) and LTTB-downsamples the rest by loss. */
export function downsample(points: MetricPoint[], maxPoints: number): MetricPoint[] {
  if (points.length <= maxPoints) return points;
  const indexed = points.map((p, i) => ({ p, i }));
  const evals = indexed.filter((e) => e.p.evalLoss != null);
  const rest = indexed.filter((e) => e.p.evalLoss == null);
  const kept = lttb(rest, Math.max(3, maxPoints - evals.length), (e) => e.i, (e) => e.p.loss ?? null);
  return [...kept, ...evals].sort((a, b) => a.i - b.i).map((e) => e.p);
}

function listFiles(dir: string): RunFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: RunFile[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    try {
      const st = statSync(path);
      let size = st.size;
      if (st.isDirectory()) {
        // A checkpoint's size is what users care about (disk): sum its direct files.
        size = 0;
        for (const f of readdirSync(path)) {
          try {
            const s = statSync(join(path, f));
            if (s.isFile()) size += s.size;
          } catch {
            /* vanished */
          }
        }
      }
      out.push({ path, name, size, isDir: st.isDirectory() });
    } catch {
      // Vanished between readdir and stat (a checkpoint rotated away).
    }
  }
  return out;
}

export function createRunService(supervisor: RunSupervisor & Supervisor) {
  const need = (id: string): Run => {
    const r = supervisor.get(id);
    if (!r) throw new RpcError('not_found', `No run ${id}.`);
    return r;
  };
  const configOf = (r: Run): string => {
    try {
      return readFileSync(r.configPath, 'utf8');
    } catch {
      throw new RpcError('not_found', `The run's config copy is missing (${r.configPath}).`);
    }
  };

  return {
    need,
    /** Starts an ended run again with its exact config; `resume` continues from its newest checkpoint. */
    async restart(id: string, resume?: boolean): Promise<Run> {
      const old = need(id);
      if (isActiveStatus(old.status)) throw new RpcError('conflict', 'Stop the run before restarting it.');
      let yaml = configOf(old);
      let outputDir: string | undefined;
      if (resume && old.kind !== 'api') {
        outputDir = old.outputDir;
        const ckpt = latestCheckpoint(old.outputDir);
        // Without a checkpoint LLaMA-Factory would start again from step 0 while the run says "resumed": refuse.
        if (!ckpt) throw new RpcError('conflict', `There is no checkpoint in ${old.outputDir} to resume from. Restart the run to train again from the start.`);
        const doc = YAML.parseDocument(yaml);
        doc.set('resume_from_checkpoint', ckpt);
        yaml = doc.toString();
      }
      const spec: LaunchSpec = {
        name: old.name,
        kind: old.kind,
        taskId: old.taskId,
        sweepId: old.sweepId,
        parentRunId: old.parentRunId,
        configYaml: yaml,
        workDir: old.workDir,
        gpuIndices: old.gpuIndices,
        gpuUuids: old.gpuUuids,
        estimateMiB: old.estimateMiB,
        ...(outputDir ? { outputDir } : {}),
      };
      // A Slurm run is submitted again to its partition, not started on this machine.
      return supervisor.externalOwner(id)?.relaunch(id, spec) ?? supervisor.launch(spec);
    },
    metrics(id: string, maxPoints?: number): MetricPoint[] {
      need(id);
      const points = supervisor.metrics.points(id);
      return maxPoints ? downsample(points, maxPoints) : points;
    },
    files(id: string): RunFile[] {
      const r = need(id);
      return r.outputDir ? listFiles(r.outputDir) : [];
    },
    config(id: string): { yaml: string; path: string } {
      const r = need(id);
      return { yaml: configOf(r), path: r.configPath };
    },
    /** Notes and tags (tags trimmed, empty and repeated ones dropped). */
    update(id: string, patch: { notes?: string | undefined; tags?: string[] | undefined }): Run {
      need(id);
      const stored = supervisor.repo.get(id)!;
      if (patch.notes !== undefined) stored.notes = patch.notes;
      if (patch.tags !== undefined) stored.tags = [...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))];
      supervisor.save(stored);
      return need(id);
    },
  };
}
