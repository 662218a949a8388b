/** Renderer data flow: one upstream subscription per topic + params, opened and closed by the stores (runs, compare, chat share runs.changed; views of one run share its terminal and metrics). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../../src/shared/types/run.js';

/** The engine as the stores see it through src/renderer/api/client.ts: calls answered from a table, topics driven by the test. */
const engine = vi.hoisted(() => {
  const subs: { topic: string; params: unknown; onData: (d: unknown, sub: number) => void; open: boolean; id: number }[] = [];
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const answers: Record<string, (p: Record<string, unknown>) => unknown> = {};
  let next = 1;
  return {
    subs,
    calls,
    answers,
    open: (topic: string) => subs.filter((s) => s.open && s.topic === topic),
    emit(topic: string, params: unknown, data: unknown) {
      for (const s of subs) if (s.open && s.topic === topic && JSON.stringify(s.params) === JSON.stringify(params)) s.onData(data, s.id);
    },
    api: {
      call(method: string, params: Record<string, unknown>) {
        calls.push({ method, params });
        const a = answers[method];
        return a ? Promise.resolve(a(params)) : Promise.reject(new Error(`no answer for ${method}`));
      },
      subscribe(topic: string, params: unknown, onData: (d: unknown, sub: number) => void) {
        const s = { topic, params, onData, open: true, id: next++ };
        subs.push(s);
        return () => {
          s.open = false;
        };
      },
    },
  };
});
vi.mock('../../../src/renderer/api/client.js', () => ({ api: engine.api, connect: () => undefined, reconnectNow: () => undefined }));

const { startRunsSync, useRuns } = await import('../../../src/renderer/stores/runs.js');
const { startCompareSync } = await import('../../../src/renderer/stores/compare.js');
const { startChatSync } = await import('../../../src/renderer/stores/chat.js');
const { openTopicCount } = await import('../../../src/renderer/stores/topics.js');
const { attachTerminal, openTerminalFeeds } = await import('../../../src/renderer/stores/terminal.js');
const { followRunMetrics, useMetrics } = await import('../../../src/renderer/stores/metrics.js');

const run = (id: string): Run => ({ id, kind: 'train', status: 'running', name: id }) as Run;
const point = (step: number) => ({ step, at: step, loss: 1 / step });

afterEach(() => {
  engine.calls.length = 0;
  for (const k of Object.keys(engine.answers)) delete engine.answers[k];
});

describe('topic subscriptions', () => {
  it('runs, compare and chat follow runs.changed through one upstream subscription, closed with the last of them', () => {
    engine.answers['runs.list'] = () => [];
    engine.answers['chat.servers'] = () => [];
    engine.answers['chat.promptSets'] = () => [];
    const stops = [startRunsSync(), startCompareSync(), startCompareSync(), startChatSync()];
    expect(engine.open('runs.changed')).toHaveLength(1);
    // compare.changed once too, however often the compare view started its sync.
    expect(engine.open('compare.changed')).toHaveLength(1);
    engine.emit('runs.changed', {}, run('r1'));
    expect(useRuns.getState().runs.r1?.id).toBe('r1');
    stops.slice(0, 3).forEach((s) => s());
    expect(engine.open('runs.changed')).toHaveLength(1);
    expect(engine.open('compare.changed')).toHaveLength(0);
    stops[3]!();
    expect(engine.open('runs.changed')).toHaveLength(0);
    expect(openTopicCount()).toBe(0);
  });
});

describe('terminal feed', () => {
  it('two views of one run share one subscription; the bytes are acknowledged once, after both rendered them', async () => {
    engine.answers['terminal.ack'] = () => null;
    const pending: (() => void)[] = [];
    const shownA: string[] = [];
    const shownB: string[] = [];
    const offA = attachTerminal('r1', { write: (e, done) => (shownA.push(e.data), pending.push(done)) });
    engine.emit('terminal.data', { id: 'r1' }, { data: 'hello ', replay: true });
    // A second view joins later: the engine does not replay for it, the store hands it what it has seen.
    const offB = attachTerminal('r1', { write: (e, done) => (shownB.push(e.data), pending.push(done)) });
    expect(engine.open('terminal.data')).toHaveLength(1);
    expect(shownB).toEqual(['hello ']);
    engine.emit('terminal.data', { id: 'r1' }, { data: 'world' });
    expect(shownA).toEqual(['hello ', 'world']);
    expect(shownB).toEqual(['hello ', 'world']);
    // The first event had one view: its done acks 6. The second waits for both views (A's done, B's done).
    pending[0]!();
    pending[2]!();
    const acked = () => engine.calls.filter((c) => c.method === 'terminal.ack').reduce((n, c) => n + (c.params.bytes as number), 0);
    await vi.waitFor(() => expect(engine.calls.filter((c) => c.method === 'terminal.ack')).toHaveLength(1));
    // 'world' is not acknowledged yet: B has not rendered it.
    expect(acked()).toBe(6);
    // B leaves without rendering: that releases its share, so 'world' is acknowledged too (once, with A's).
    offB();
    await vi.waitFor(() => expect(acked()).toBe(11));
    expect(engine.open('terminal.data')).toHaveLength(1);
    offA();
    expect(engine.open('terminal.data')).toHaveLength(0);
    expect(openTerminalFeeds()).toBe(0);
  });
});

describe('run metrics', () => {
  it('views of one run share one subscription and one history load; live points merge in; the last view drops them', async () => {
    engine.answers['runs.metrics'] = () => [point(1), point(2)];
    const a = followRunMetrics('r2');
    const b = followRunMetrics('r2');
    expect(engine.open('runs.metrics')).toHaveLength(1);
    expect(engine.calls.filter((c) => c.method === 'runs.metrics')).toHaveLength(1);
    await vi.waitFor(() => expect(useMetrics.getState().byRun.r2?.loading).toBe(false));
    engine.emit('runs.metrics', { id: 'r2' }, { points: [point(3)] });
    expect(useMetrics.getState().byRun.r2?.points.map((p) => p.step)).toEqual([1, 2, 3]);
    a();
    expect(engine.open('runs.metrics')).toHaveLength(1);
    b();
    expect(engine.open('runs.metrics')).toHaveLength(0);
    expect(useMetrics.getState().byRun.r2).toBeUndefined();
  });
});
