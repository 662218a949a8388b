/** Scheduler benchmark: makespan of Trainyard's placement vs sequential and one-job-per-GPU FIFO, as ratios to a lower bound. */
import { fifoPerGpu, lowerBound, makeJobs, sequential, simulate, speeds, trainyard, type Job } from './sim.js';

const SEEDS = [1, 2, 3, 4, 5];
const JOBS = 40;

// The speed model against the fixture (/work/shared/fixtures/h200-concurrency): K small jobs on one GPU.
const small: Job = { id: 'x', kind: 'small', minutes: 1, memMiB: 1800, estimateMiB: 2000, gpus: 1, util: 0.23 };
const agg = (k: number) => {
  const run = Array.from({ length: k }, (_, i) => ({ job: { ...small, id: `x${i}` }, gpus: [0] }));
  return [...speeds(run).values()].reduce((a, b) => a + b, 0);
};
console.log('Speed model vs the H200 fixture (aggregate throughput of K small jobs on one GPU, × one job):');
console.log(`  K=2 ${agg(2).toFixed(2)}× (measured 2.33×)  K=4 ${agg(4).toFixed(2)}× (measured 3.65×)  K=8 ${agg(8).toFixed(2)}× (measured 4.31×)\n`);

const rows: string[][] = [['GPUs', 'jobs', 'lower bound (h)', 'sequential', 'FIFO 1 job/GPU', 'Trainyard', 'Trainyard vs FIFO']];
for (const gpus of [1, 2, 4, 8]) {
  const r = { seq: 0, fifo: 0, ty: 0, lb: 0 };
  for (const seed of SEEDS) {
    const jobs = makeJobs(JOBS, gpus, seed * 100 + gpus);
    const lb = lowerBound(jobs, gpus);
    r.lb += lb / SEEDS.length;
    r.seq += simulate(jobs, gpus, sequential) / lb / SEEDS.length;
    r.fifo += simulate(jobs, gpus, fifoPerGpu) / lb / SEEDS.length;
    r.ty += simulate(jobs, gpus, trainyard) / lb / SEEDS.length;
  }
  rows.push([String(gpus), String(JOBS), (r.lb / 60).toFixed(1), `${r.seq.toFixed(2)}×`, `${r.fifo.toFixed(2)}×`, `${r.ty.toFixed(2)}×`, `${(r.fifo / r.ty).toFixed(2)}× faster`]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
console.log('Makespan as a ratio to the lower bound (mean of 5 job sets; 80 GB GPUs; lower is better, 1.00× is perfect):');
for (const row of rows) console.log('  ' + row.map((c, i) => c.padStart(widths[i]!)).join('  '));
