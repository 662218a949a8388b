/** A run's files for the browser (serve): its log, exact config, predictions and adapter or a checkpoint as a tar stream; each reached by a download ticket. */
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import type { Core } from '../core/createCore.js';
import { RpcError } from '../shared/rpc/protocol.js';
import type { Run } from '../shared/types/run.js';
import type { Route, RouteRequest } from './router.js';
import { openRegularFile, securityHeaders } from './staticFiles.js';
import { folderEntries, tarFolder } from './tarStream.js';
import { logger } from '../core/log/logger.js';

const log = logger('serve');

const RUN = '([A-Za-z0-9_-]{1,100})';

/** A name the browser may save under: no path separators, quotes or control characters. */
const fileName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

type Send = (run: Run, r: RouteRequest) => Promise<void>;

function route(name: string, tail: string, example: string, send: Send, core: Core): Route {
  return {
    name,
    pattern: new RegExp(`^/api/runs/${RUN}/${tail}$`),
    access: 'ticket',
    example,
    handle(r) {
      withRun(core, r, send).catch((e: unknown) => {
        log.error(`${name} failed`, e);
        if (!r.res.headersSent) r.res.writeHead(500, securityHeaders()).end('Internal error.');
        else r.res.destroy();
      });
    },
  };
}

async function withRun(core: Core, r: RouteRequest, send: Send): Promise<void> {
  let run;
  try {
    run = await core.handlers['runs.get']({ id: r.match[1]! }, { connectionId: 'http' });
  } catch (e) {
    if (e instanceof RpcError && e.code === 'not_found') return void r.res.writeHead(404, securityHeaders()).end('No such run.');
    throw e;
  }
  // A remote engine's run: its paths are that box's, never files of this machine (a box must not pick what is read here).
  if (run.box) return void r.res.writeHead(404, securityHeaders()).end("A remote engine's run: download it from that box.");
  await send(run, r);
}

/** Streams one regular file (never a link, FIFO or device) as an attachment. */
function sendFile(pick: (run: Run) => string, type: string, saveAs: (run: Run) => string, missing: string): Send {
  return async (run, { res }) => {
    const path = pick(run);
    const file = path ? await openRegularFile(path) : null;
    if (!file) return void res.writeHead(404, securityHeaders()).end(missing);
    if (res.destroyed) return void (await file.close());
    const size = (await file.stat()).size;
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': type,
      'Content-Length': String(size),
      'Cache-Control': 'no-store',
      'Content-Disposition': `attachment; filename="${saveAs(run)}"`,
    });
    if (size === 0) {
      await file.close();
      return void res.end();
    }
    // Exactly the bytes counted: a log still growing must not overrun the length just sent.
    streamTo(file.createReadStream({ start: 0, end: size - 1 }), res);
  };
}

/** pipeline closes the source when the client aborts and turns a read error into a closed response, not a crash. */
const streamTo = (src: Readable, res: RouteRequest['res']) => pipeline(src, res, () => {});

/** The adapter folder (the output folder's own files: weights, adapter and tokenizer configs, results) or one checkpoint. */
function sendFolder(sub: (r: RouteRequest) => string | null): Send {
  return async (run, r) => {
    const which = sub(r);
    const dir = which ? join(run.outputDir, which) : run.outputDir;
    let entries;
    try {
      entries = run.outputDir ? await folderEntries(dir) : null;
    } catch (e) {
      return void r.res.writeHead(413, securityHeaders()).end(e instanceof Error ? e.message : String(e));
    }
    if (!entries?.length) return void r.res.writeHead(404, securityHeaders()).end('No such folder, or nothing to download in it.');
    const name = `${fileName(run.name)}-${which ?? 'adapter'}`;
    r.res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': 'application/x-tar',
      'Cache-Control': 'no-store',
      'Content-Disposition': `attachment; filename="${name}.tar"`,
    });
    streamTo(tarFolder(name, entries), r.res);
  };
}

/** The download routes, every one `access: 'ticket'` (the router admits a valid ticket or the token). */
export function runDownloadRoutes(core: Core): Route[] {
  return [
    route(
      'run log download',
      'log',
      '/api/runs/run_example/log',
      sendFile((run) => join(run.runDir, 'console.log'), 'text/plain; charset=utf-8', (run) => `${fileName(run.name)}.log`, 'No log for this run.'),
      core,
    ),
    route(
      'run config download',
      'config',
      '/api/runs/run_example/config',
      sendFile((run) => run.configPath, 'application/yaml; charset=utf-8', (run) => `${fileName(run.name)}.yaml`, 'No config for this run.'),
      core,
    ),
    route(
      'run predictions download',
      'predictions',
      '/api/runs/run_example/predictions',
      sendFile(
        // LLaMA-Factory's do_predict writes it into output_dir (LF ff6d4d1 src/llamafactory/train/sft/trainer.py:201).
        (run) => (run.outputDir ? join(run.outputDir, 'generated_predictions.jsonl') : ''),
        'application/x-ndjson; charset=utf-8',
        (run) => `${fileName(run.name)}-generated_predictions.jsonl`,
        'This run wrote no generated_predictions.jsonl.',
      ),
      core,
    ),
    route('run adapter download', 'adapter', '/api/runs/run_example/adapter', sendFolder(() => null), core),
    route('run checkpoint download', 'adapter/(checkpoint-\\d{1,12})', '/api/runs/run_example/adapter/checkpoint-10', sendFolder((r) => r.match[2] ?? null), core),
  ];
}
