/** `trainyard inspect`: summarise a run from its output dir, trainer_log.jsonl, trainer_state.json or a console log (--json for scripts). */
import { existsSync } from 'node:fs';
import { summarizePath, type MetricsSummary } from '../../core/metrics/summary.js';
import { type Command, parseArgs, UsageError } from '../args.js';

const help = `Usage: trainyard inspect <output_dir | trainer_log.jsonl | trainer_state.json | console log> [--json]

Reads the metrics the way the app does (trainer_log.jsonl first, then trainer_state.json, then console lines)
and prints steps, losses, time and warnings.

Options:
  --json   print {totalSteps, lastStep, finalLoss, minLoss, lastEvalLoss, elapsedSeconds, segments, warnings, points}

Exit codes: 0 ok, 1 unreadable input, 2 usage error.
`;

function hms(s: number | null): string {
  if (s === null) return '—';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return `${d ? `${d}d ` : ''}${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

const num = (n: number | null) => (n === null ? '—' : String(Number(n.toPrecision(6))));

function readable(s: MetricsSummary): string {
  const rows: [string, string][] = [
    ['source', `${s.source} (${s.format})`],
    ['steps', `${s.lastStep ?? '—'} / ${s.totalSteps ?? '?'}`],
    ['final loss', num(s.finalLoss)],
    ['min loss', num(s.minLoss)],
    ['last eval loss', num(s.lastEvalLoss)],
    ['elapsed', hms(s.elapsedSeconds)],
    ['segments', `${s.segments}${s.segments > 1 ? ' (resumed)' : ''}`],
    ['points', String(s.points.length)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  for (const warning of s.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n') + '\n';
}

export const inspectCommand: Command = {
  summary: 'Summarise a run from its output dir, trainer_log.jsonl or console log (--json).',
  help,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { json: { type: 'boolean' } });
    if (positional.length !== 1) throw new UsageError(positional.length ? 'Give exactly one path.' : 'Give the path to inspect.');
    const path = positional[0]!;
    if (!existsSync(path)) {
      io.err(`trainyard inspect: ${path} does not exist.\n`);
      return 1;
    }
    let s: MetricsSummary;
    try {
      s = summarizePath(path);
    } catch (e) {
      io.err(`trainyard inspect: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    if (flags.json) {
      const points = s.points.map((p) => ({
        step: p.step,
        ...(p.segment ? { segment: p.segment } : {}),
        ...(p.loss != null ? { loss: p.loss } : {}),
        ...(p.evalLoss != null ? { evalLoss: p.evalLoss } : {}),
        ...(p.lr != null ? { lr: p.lr } : {}),
        ...(p.epoch != null ? { epoch: p.epoch } : {}),
      }));
      const { points: _p, ...rest } = s;
      io.out(JSON.stringify({ ...rest, points }, null, 2) + '\n');
    } else io.out(readable(s));
    // Nothing recognisable in it (an LFS pointer, a binary): say so with a failing status.
    return s.points.length === 0 ? 1 : 0;
  },
};
