/** Side by side with blind votes, prompt sets (JSONL import, one-click runs), history rules and GPU picking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpuDevice } from '../../../src/core/gpu/cpuDevice.js';
import { pickGpu } from '../../../src/core/inference/gpuPick.js';
import { wireHistory } from '../../../src/core/inference/conversations.js';
import { parsePromptJsonl } from '../../../src/core/inference/promptSets.js';
import type { ChatMessage, PromptRun } from '../../../src/shared/types/chat.js';
import type { GpuInfo } from '../../../src/shared/types/gpu.js';
import type { Run } from '../../../src/shared/types/run.js';
import { makeRig } from './helpers.js';

const rig = makeRig();
let a: Run;
let b: Run;
beforeAll(async () => {
  rig.chat.start?.();
  a = await rig.trainedRun('model-a');
  b = await rig.trainedRun('model-b');
});
afterAll(() => rig.cleanup());

describe('side by side', () => {
  it('sends one prompt to two servers, hides who is who until the vote, and counts wins and losses per run', async () => {
    const cmp = await rig.call('chat.compare', { targets: [{ runId: a.id }, { runId: b.id }], prompt: 'hello both', blind: true });
    expect(cmp.entries.map((e) => e.slot)).toEqual(['A', 'B']);
    expect(cmp.entries.every((e) => e.target === null && e.runName === null)).toBe(true);
    const finals = await Promise.all(cmp.entries.map((e) => rig.finalOf(e.messageId)));
    expect(finals.map((f) => f.content)).toEqual(['You said: hello both', 'You said: hello both']);
    expect(rig.chat.pool.list().filter((s) => s.status === 'ready')).toHaveLength(2);
    // Still hidden when listed before the vote.
    expect((await rig.call('chat.comparisons', {}))[0]!.entries[0]!.target).toBeNull();
    const voted = await rig.call('chat.vote', { comparisonId: cmp.id, vote: 1 });
    const winner = voted.entries[1]!.target!.runId;
    const loser = voted.entries[0]!.target!.runId;
    expect(new Set([winner, loser])).toEqual(new Set([a.id, b.id]));
    let votes = await rig.call('chat.votes', {});
    expect(votes.find((v) => v.runId === winner)).toMatchObject({ wins: 1, losses: 0, ties: 0 });
    expect(votes.find((v) => v.runId === loser)).toMatchObject({ wins: 0, losses: 1, ties: 0 });
    // A re-vote replaces the first, it does not add to it.
    await rig.call('chat.vote', { comparisonId: cmp.id, vote: 'tie' });
    votes = await rig.call('chat.votes', { runIds: [a.id] });
    expect(votes).toEqual([{ runId: a.id, wins: 0, losses: 0, ties: 1 }]);
    // Comparison columns stay out of the run's own conversation list.
    expect((await rig.call('chat.conversations', { runId: a.id })).length).toBe(0);
    await expect(rig.call('chat.vote', { comparisonId: cmp.id, vote: 3 })).rejects.toThrow(/no column 4/);
  });

  it('refuses the same target twice', async () => {
    await expect(rig.call('chat.compare', { targets: [{ runId: a.id }, { runId: a.id }], prompt: 'x', blind: false })).rejects.toThrow(/only once/);
  });
});

describe('prompt sets', () => {
  it('imports JSONL all-or-nothing with the line number of a bad line', async () => {
    await expect(rig.call('chat.importPromptSet', { name: 'bad', jsonl: '{"prompt":"a"}\n\n{"prompt": }\n' })).rejects.toThrow(/Line 3 is not JSON/);
    await expect(rig.call('chat.importPromptSet', { name: 'bad', jsonl: '{"expected":"a"}\n' })).rejects.toThrow(/Line 1 has no "prompt"/);
    expect(await rig.call('chat.promptSets', {})).toEqual([]);
    expect(parsePromptJsonl('\uFEFF{"prompt":"p","expected":""}\r\n')).toEqual([{ prompt: 'p', expected: null }]);
  });

  it('runs a set against a model in one go and checks each answer for the expected phrase', async () => {
    const set = await rig.call('chat.importPromptSet', {
      name: 'golden',
      jsonl: '{"prompt": "returns?", "expected": "said: RETURNS"}\n{"prompt": "shipping?", "expected": "30 days"}\n{"prompt": "hi"}\n',
    });
    expect(set.prompts).toHaveLength(3);
    const started = await rig.call('chat.runPromptSet', { setId: set.id, runId: a.id });
    expect(started.items.map((i) => i.status)).toEqual(['queued', 'queued', 'queued']);
    const updates: string[] = [];
    const done = await new Promise<PromptRun>((resolve) => {
      const off = rig.ctx.bus.on('chat.promptRun', (r) => {
        updates.push(r.status);
        if (r.id === started.id && r.status !== 'running') {
          off();
          resolve(r);
        }
      });
    });
    expect(done.items.map((i) => i.pass)).toEqual([true, false, null]);
    expect(done.items.map((i) => i.answer)).toEqual(['You said: returns?', 'You said: shipping?', 'You said: hi']);
    expect(rig.deltas.filter((d) => d.conversationId === started.id && 'text' in d).length).toBeGreaterThan(3);
    expect((await rig.call('chat.promptRuns', { setId: set.id }))[0]!.status).toBe('done');
  });
});

describe('history and placement', () => {
  const m = (role: 'user' | 'assistant', content: string, status: ChatMessage['status'] = 'done'): ChatMessage => ({
    id: content,
    conversationId: 'c',
    role,
    content,
    status,
    error: null,
    restartable: false,
    finishReason: null,
    stats: null,
    createdAt: 0,
  });

  it('keeps strict user/assistant alternation, skipping failed exchanges', () => {
    const h = wireHistory('be brief', [m('user', 'q1'), m('assistant', 'a1'), m('user', 'q2'), m('assistant', '', 'error'), m('user', 'q3')]);
    expect(h).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q3' },
    ]);
  });

  it('picks the GPU with the most room, honours the chat reservation, and explains when nothing fits', () => {
    const gpu = (index: number, free: number): GpuInfo => ({ ...cpuDevice(), index, uuid: `GPU-${index}`, vendor: 'nvidia', name: 'H100', memoryTotalMiB: 81_559, memoryFreeMiB: free });
    const snapshot = { source: 'nvidia-smi' as const, gpus: [gpu(0, 10_000), gpu(1, 60_000)], processes: [], notice: null, at: 0 };
    const base = { snapshot, active: [], needMiB: 16_000, marginMiB: 2048, requested: null, reserved: null };
    expect(pickGpu(base)).toMatchObject({ gpuIndices: [1], gpuUuids: ['GPU-1'] });
    expect(pickGpu({ ...base, reserved: 'GPU-0' })).toMatchObject({ gpuIndices: [0], reason: 'reserved for chat in Settings' });
    expect(() => pickGpu({ ...base, needMiB: 70_000 })).toThrow(/No GPU has room/);
    expect(pickGpu({ ...base, snapshot: { ...snapshot, gpus: [cpuDevice()] } })).toMatchObject({ gpuIndices: [], gpuUuids: ['CPU-0'] });
  });
});
