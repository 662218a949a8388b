/** A throwaway engine process for the crash test: opens the data dir, launches the runs given as JSON, prints their ids, then idles until killed. */
import { createRunsDomain } from '../../../../src/core/runs/runsDomain.js';
import { commandFor, makeCtx, spec } from '../helpers.js';

const [dataDir, specsJson] = process.argv.slice(2);
const ctx = makeCtx(dataDir!);
const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 50 });
await runs.start?.();
const specs = JSON.parse(specsJson!) as { name: string; yaml: string; gpus: number[] }[];
const ids: string[] = [];
for (const s of specs) ids.push((await runs.supervisor.launch(spec(s.name, s.yaml, dataDir!, s.gpus))).id);
process.stdout.write(JSON.stringify({ ids }) + '\n');
setInterval(() => {}, 1000);
