/** `trainyard ps [--json]`: the engine's runs with status, place, progress and last metrics. */
import type { MetricPoint } from '../../shared/types/run.js';
import { parseArgs, UsageError, type Command } from '../args.js';
import { dataDirOf, withEngine } from '../engine.js';
import { placeOf } from '../runRef.js';

const help = `Usage: trainyard ps [--all] [--json] [--data-dir D]

Lists the runs of the Trainyard engine of the data folder (the running desktop app or serve, else a one-shot engine).

Options:
  --all         Include inference servers (Chat).
  --json        Print a JSON array of runs, each with "metrics": { "points": N, "last": the last metric point }.
  --data-dir D  The data folder (default: $TRAINYARD_DATA_DIR or the platform's app-data folder).
`;

const fmt = (v: number | null | undefined, digits = 4) => (v == null ? '-' : Number(v.toPrecision(digits)).toString());

export const psCommand: Command = {
  summary: 'List runs with status, place and metrics (--json).',
  help,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { json: { type: 'boolean' }, all: { type: 'boolean' }, 'data-dir': { type: 'string' } });
    if (positional.length) throw new UsageError(`Unexpected argument "${positional[0]}".`);
    return withEngine(dataDirOf(flags['data-dir'], io.env), io, async ({ api }) => {
      const runs = (await api.call('runs.list', { includeApi: !!flags.all })).sort((a, b) => a.createdAt - b.createdAt);
      if (flags.json) {
        const out = [];
        for (const r of runs) {
          const points: MetricPoint[] = r.kind === 'api' ? [] : await api.call('runs.metrics', { id: r.id, maxPoints: 10 });
          out.push({ ...r, metrics: { points: points.length, last: points.at(-1) ?? null } });
        }
        io.out(JSON.stringify(out, null, 2) + '\n');
        return 0;
      }
      if (!runs.length) {
        io.out('No runs.\n');
        return 0;
      }
      const rows = [['RUN', 'NAME', 'STATUS', 'WHERE', 'STEP', 'LOSS'], ...runs.map((r) => [
        r.id,
        r.name,
        r.slurm && r.status === 'starting' ? `${r.status} (${r.slurm.state}${r.slurm.reason ? `: ${r.slurm.reason}` : ''})` : r.status,
        placeOf(r),
        r.progress ? `${r.progress.step}${r.progress.totalSteps ? `/${r.progress.totalSteps}` : ''}` : '-',
        fmt(r.progress?.lastLoss),
      ])];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
      io.out(rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n');
      return 0;
    });
  },
};
