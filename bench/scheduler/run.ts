/** Scheduler benchmark: makespan of Trainyard's placement vs sequential, FIFO one job per GPU and the old best fit, as ratios to a lower bound. */
import { readH200, modelSpeedup } from './fixture.js';
import { bestFit, CARD_141, CARD_80, exact, fifoPerGpu, lowerBound, makeJobs, reordered, sequential, simulate, SMALL_ONLY, trainyard, TRUTH, type CardType, type Policy } from './sim.js';

const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const JOBS = Number(process.env.BENCH_JOBS ?? 40);
const PER_GPU = Number(process.env.BENCH_JOBS_PER_GPU ?? 16);
const SMALL_JOBS = Number(process.env.BENCH_SMALL_JOBS ?? 24);

const t0 = performance.now();
console.log(`Ground truth for sharing a card, fitted to test/fixtures/recorded/h200-concurrency: util ${TRUTH.util.toFixed(3)}, interference ${TRUTH.interference.toFixed(3)} per neighbour (rms error ${TRUTH.rmsErrorPct.toFixed(1)} %)`);
console.log(`  ${readH200().filter((m) => m.k > 1).map((m) => `K=${m.k} ${modelSpeedup(m.k, TRUTH.util, TRUTH.interference).toFixed(2)}× (measured ${m.speedup.toFixed(2)}×)`).join('  ')}\n`);

const policies: [string, Policy][] = [['sequential', sequential], ['FIFO 1 job/GPU', fifoPerGpu], ['best fit (old)', bestFit], ['Trainyard', trainyard]];

function table(title: string, rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log(title);
  for (const row of rows) console.log('  ' + row.map((c, i) => c.padStart(widths[i]!)).join('  '));
  console.log();
}

let worst = 0;
/** One table: every card size × GPU count, mean ratio to the lower bound over the seeds, all policies side by side. */
function makespans(title: string, jobsFor: (gpus: number) => number): void {
  const rows: string[][] = [['cards', 'GPUs', 'jobs', 'lower bound (h)', ...policies.map(([n]) => n), 'Trainyard vs old', 'ref: exact profiles', 'ref: queue reordered']];
  for (const card of [CARD_80, CARD_141] as CardType[]) {
    for (const gpus of [1, 2, 4, 8]) {
      const m = { gpus, card };
      const all: Policy[] = [...policies.map(([, p]) => p), exact, reordered];
      const ratio = all.map(() => 0);
      let lb = 0;
      for (const seed of SEEDS) {
        const jobs = makeJobs(jobsFor(gpus), gpus, seed * 100 + gpus);
        const bound = lowerBound(jobs, m);
        lb += bound / SEEDS.length;
        all.forEach((p, i) => (ratio[i]! += simulate(jobs, m, p) / bound / SEEDS.length));
      }
      worst = Math.max(worst, ratio[3]!);
      const x = (r: number) => `${r.toFixed(2)}×`;
      rows.push([card.label, String(gpus), String(jobsFor(gpus)), (lb / 60).toFixed(1), ...ratio.slice(0, 4).map(x), `${(ratio[2]! / ratio[3]!).toFixed(2)}× faster`, x(ratio[4]!), x(ratio[5]!)]);
    }
  }
  table(title, rows);
}

makespans(`Makespan ÷ lower bound, ${JOBS} jobs per set as before (mean of ${SEEDS.length} sets; lower is better, 1.00× is perfect):`, () => JOBS);
makespans(`Makespan ÷ lower bound, ${PER_GPU} jobs per GPU (the same load on every GPU; mean of ${SEEDS.length} sets):`, (g) => PER_GPU * g);

const one = { gpus: 1, card: CARD_141 };
const speed = policies.map(() => 0);
for (const seed of SEEDS) {
  const jobs = makeJobs(SMALL_JOBS, 1, seed * 7 + 1, SMALL_ONLY);
  const seq = simulate(jobs, one, sequential);
  policies.forEach(([, p], i) => (speed[i]! += seq / simulate(jobs, one, p) / SEEDS.length));
}
table(`${SMALL_JOBS} small LoRA jobs on ONE H200 (141 GB): speed-up over sequential (mean of ${SEEDS.length} sets; higher is better):`, [
  policies.map(([n]) => n),
  speed.map((s) => `${s.toFixed(2)}×`),
]);
console.log(`worst Trainyard ratio ${worst.toFixed(2)}×; ran in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
