/** The drop hint's fit cache: a verdict on screen stays there while it is asked again (TTL or board.changed), never flickering back to "checking". */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FitCheck } from '../../../src/shared/contract/tasks.js';

/** The engine as the board store sees it through src/renderer/api/client.ts: board.fit answered when the test says. */
const engine = vi.hoisted(() => {
  const pending: ((fit: unknown) => void)[] = [];
  const topics = new Map<string, (d: unknown) => void>();
  return {
    pending,
    topics,
    api: {
      call(method: string) {
        if (method === 'board.fit') return new Promise((resolve) => pending.push(resolve));
        if (method === 'board.get') return Promise.resolve({ lanes: [], queue: [] });
        return Promise.reject(new Error(`no answer for ${method}`));
      },
      subscribe(topic: string, _params: unknown, onData: (d: unknown) => void) {
        topics.set(topic, onData);
        return () => topics.delete(topic);
      },
    },
  };
});
vi.mock('../../../src/renderer/api/client.js', () => ({ api: engine.api, connect: () => undefined, reconnectNow: () => undefined }));

const { useBoard, startBoardSync } = await import('../../../src/renderer/stores/board.js');
const { fitKey } = await import('../../../src/renderer/features/board/boardLogic.js');

const fit = (fits: boolean): FitCheck => ({ fits, reason: fits ? 'fits' : 'too big', neededMiB: 500, freeMiB: 1000 });
const key = fitKey('t1', 'gpu:a');
const shown = () => useBoard.getState().fits[key]?.state;
/** What the pointer does during a drag: dragover events keep asking. */
const hover = async () => {
  useBoard.getState().requestFit('t1', 'gpu:a');
  await vi.advanceTimersByTimeAsync(200);
};

vi.useFakeTimers();
afterAll(() => vi.useRealTimers());

describe('fit checks while a drag hovers a card', () => {
  it('asks once, shows "checking" only until the first answer, then keeps a verdict on screen while asking again', async () => {
    const stop = startBoardSync();
    await hover();
    expect(shown()).toBe('loading');
    expect(engine.pending).toHaveLength(1);
    engine.pending.shift()!(fit(true));
    await vi.advanceTimersByTimeAsync(0);
    expect(shown()).toBe('done');

    // The answer expires (free memory moves): the next dragover asks again, and the old verdict stays meanwhile.
    await vi.advanceTimersByTimeAsync(5_000);
    await hover();
    expect(engine.pending).toHaveLength(1);
    expect(shown()).toBe('done');
    engine.pending.shift()!(fit(false));
    await vi.advanceTimersByTimeAsync(0);
    expect(useBoard.getState().fits[key]).toMatchObject({ state: 'done', fit: { fits: false } });

    // A board change (any run's progress, a note) makes the verdict stale, not gone: asked again, still shown.
    engine.topics.get('board.changed')!({ lanes: [], queue: [] });
    expect(shown()).toBe('done');
    await hover();
    expect(engine.pending).toHaveLength(1);
    expect(shown()).toBe('done');
    // While that question is out, more dragovers and board changes ask nothing more.
    engine.topics.get('board.changed')!({ lanes: [], queue: [] });
    await hover();
    await hover();
    expect(engine.pending).toHaveLength(1);
    engine.pending.shift()!(fit(true));
    await vi.advanceTimersByTimeAsync(0);
    expect(useBoard.getState().fits[key]).toMatchObject({ state: 'done', fit: { fits: true } });
    stop();
  });
});
