/** Runs domain: the contract's runs.* and terminal.* methods and topics on top of the supervisor. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import type { RunFile, runMethods, runTopics } from '../../shared/contract/runs.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { MetricPoint, Run } from '../../shared/types/run.js';
import { lttb } from '../../shared/util/lttb.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import { runFiles } from './holderProcess.js';
import { searchLog } from './logFile.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';
import type { LaunchSpec, RunSupervisor } from './supervisorApi.js';

export type RunsDomainOptions = SupervisorOptions;

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

/** The newest checkpoint-N folder of an output dir, for an explicit resume. */
function latestCheckpoint(outputDir: string): string | null {
  let best: { n: number; path: string } | null = null;
  for (const f of listFiles(outputDir)) {
    const m = /^checkpoint-(\d+)$/.exec(f.name);
    if (f.isDir && m && (!best || Number(m[1]) > best.n)) best = { n: Number(m[1]), path: f.path };
  }
  return best?.path ?? null;
}

export function createRunsDomain(
  ctx: CoreContext,
  opts: RunsDomainOptions = {},
): Domain<typeof runMethods, typeof runTopics> & { supervisor: RunSupervisor & Supervisor } {
  const supervisor = new Supervisor(ctx, opts);
  const need = (id: string): Run => {
    const r = supervisor.get(id);
    if (!r) throw new RpcError('not_found', `No run ${id}.`);
    return r;
  };
  const viewerKey = (connectionId: string, sub: number) => `${connectionId}:${sub}`;

  return {
    supervisor,
    start: () => supervisor.start(),
    stop: () => supervisor.shutdown(),
    handlers: {
      'runs.list': ({ includeApi }) => supervisor.list().filter((r) => includeApi || r.kind !== 'api'),
      'runs.get': ({ id }) => need(id),
      'runs.stop': ({ id }) => supervisor.stop(id),
      'runs.restart': async ({ id, resume }) => {
        const old = need(id);
        if (['starting', 'running', 'stopping'].includes(old.status)) throw new RpcError('conflict', 'Stop the run before restarting it.');
        let yaml: string;
        try {
          yaml = readFileSync(old.configPath, 'utf8');
        } catch {
          throw new RpcError('not_found', `The run's config copy is missing (${old.configPath}).`);
        }
        let outputDir: string | undefined;
        if (resume && old.kind !== 'api') {
          outputDir = old.outputDir;
          const ckpt = latestCheckpoint(old.outputDir);
          if (ckpt) {
            const doc = YAML.parseDocument(yaml);
            doc.set('resume_from_checkpoint', ckpt);
            yaml = doc.toString();
          }
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
        return supervisor.launch(spec);
      },
      'runs.metrics': ({ id, maxPoints }) => {
        need(id);
        const points = supervisor.metrics.points(id);
        return maxPoints ? downsample(points, maxPoints) : points;
      },
      'runs.files': ({ id }) => {
        const r = need(id);
        return r.outputDir ? listFiles(r.outputDir) : [];
      },
      'runs.config': ({ id }) => {
        const r = need(id);
        try {
          return { yaml: readFileSync(r.configPath, 'utf8'), path: r.configPath };
        } catch {
          throw new RpcError('not_found', `The run's config copy is missing (${r.configPath}).`);
        }
      },
      'runs.update': ({ id, notes, tags }) => {
        need(id);
        const stored = supervisor.repo.get(id)!;
        if (notes !== undefined) stored.notes = notes;
        if (tags !== undefined) stored.tags = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
        supervisor.save(stored);
        return need(id);
      },
      'runs.openFolder': ({ id }) => {
        const r = need(id);
        return { path: r.outputDir || r.runDir };
      },
      'runs.searchLog': ({ id, query, limit }) => searchLog(runFiles(need(id).runDir).console, query, limit ?? 200),
      'terminal.input': ({ id, data }) => {
        need(id);
        supervisor.input(id, data);
        return null;
      },
      'terminal.resize': ({ id, cols, rows }) => {
        need(id);
        supervisor.resize(id, cols, rows);
        return null;
      },
      'terminal.ack': ({ sub, bytes }, call) => {
        supervisor.hub.ack(viewerKey(call.connectionId, sub), bytes);
        return null;
      },
    },
    subscriptions: {
      'runs.changed': (_p, send) => ctx.bus.on('runs.changed', send),
      'runs.metrics': ({ id }, send) => ctx.bus.on('runs.metrics', (d) => d.runId === id && send(d)),
      'terminal.data': ({ id }, send, call) => {
        need(id);
        const key = viewerKey(call.connectionId, call.subscriptionId);
        supervisor.hub.add(key, id, send);
        return () => supervisor.hub.remove(key);
      },
    },
  };
}
