/** The run-end webhook: one POST per run end to a real local HTTP server, nothing for servers or repeats, a toast on failure. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import type { CoreContext } from '../../../src/core/context.js';
import { startRunWebhook } from '../../../src/core/notify/webhook.js';
import type { Run } from '../../../src/shared/types/run.js';
import { verbatim } from '../../../src/shared/messages/message.js';
import { defaultSettings, type Settings } from '../../../src/shared/types/settings.js';
import type { Toast } from '../../../src/shared/types/system.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function ctxWith(webhookUrl: string | null): { ctx: CoreContext; toasts: Toast[] } {
  const bus = new EventBus();
  const toasts: Toast[] = [];
  bus.on('toast', (t) => toasts.push(t));
  const settings: Settings = { ...defaultSettings, webhookUrl };
  return { ctx: { bus, settings: () => settings } as unknown as CoreContext, toasts };
}

const run = (status: Run['status'], extra: Partial<Run> = {}): Run =>
  ({ id: 'run_1', name: 'support-lora', kind: 'train', status, exitCode: status === 'finished' ? 0 : null, gpuIndices: [1],
    startedAt: 1, endedAt: status === 'running' ? null : 2, failure: null, progress: { lastLoss: 0.12 }, ...extra }) as Run;

async function receiver(status = 200): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

/** Waits for a condition (this machine is slow and shared: no fixed sleeps), failing after 15 s. */
async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + 15_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('run-end webhook', () => {
  it('posts once when a run ends, with a readable text and the run', async () => {
    const hook = await receiver();
    const { ctx } = ctxWith(hook.url);
    cleanups.push(startRunWebhook(ctx));
    ctx.bus.emit('runs.changed', run('running'));
    ctx.bus.emit('runs.changed', run('finished'));
    ctx.bus.emit('runs.changed', run('finished')); // a later progress/notes update of the same ended run
    await until('the post', () => hook.bodies.length > 0);
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ event: 'run.ended', text: 'Trainyard: run "support-lora" finished (loss 0.12)', run: { id: 'run_1', status: 'finished', exitCode: 0 } });
  });

  it('says why a run failed, and ignores inference servers', async () => {
    const hook = await receiver();
    const { ctx } = ctxWith(hook.url);
    cleanups.push(startRunWebhook(ctx));
    ctx.bus.emit('runs.changed', run('failed', { failure: { kind: 'oom', message: verbatim('CUDA out of memory'), suggestion: verbatim('lower the batch size') } }));
    ctx.bus.emit('runs.changed', run('stopped', { id: 'srv', kind: 'api' }));
    // A training run after the server: once its post arrives, the server's would have too, had one been sent.
    ctx.bus.emit('runs.changed', run('finished', { id: 'run_2', name: 'after' }));
    await until('two posts', () => hook.bodies.length >= 2);
    const texts = hook.bodies.map((b) => (b as { text: string }).text).sort();
    expect(texts).toEqual(['Trainyard: run "after" finished (loss 0.12)', 'Trainyard: run "support-lora" failed: CUDA out of memory']);
  });

  it('sends nothing without a URL, and a toast (not a crash) when the hook refuses or is unreachable', async () => {
    const none = ctxWith(null);
    cleanups.push(startRunWebhook(none.ctx));
    none.ctx.bus.emit('runs.changed', run('finished'));

    const refusing = await receiver(500);
    const r = ctxWith(refusing.url);
    cleanups.push(startRunWebhook(r.ctx));
    r.ctx.bus.emit('runs.changed', run('finished'));

    const down = ctxWith('http://127.0.0.1:9/hook');
    cleanups.push(startRunWebhook(down.ctx));
    down.ctx.bus.emit('runs.changed', run('finished'));
    await until('both toasts', () => r.toasts.length > 0 && down.toasts.length > 0);
    expect(none.toasts).toEqual([]);
    expect(r.toasts.map((t) => t.title.text)).toEqual(['Webhook refused the message']);
    expect(down.toasts.map((t) => t.title.text)).toEqual(['Webhook not reached']);
  });
});
