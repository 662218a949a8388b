/** The speed model: a job's compute share, length and start-up from recorded runs, and what a running job has left. */
import { describe, expect, it } from 'vitest';
import { profileFromHistory, runningProfile, soloWorkOf, utilOf } from '../../../src/core/scheduler/speedModel.js';
import { newSpeedRecord, type SpeedRecord } from '../../../src/core/store/runSpeedRepo.js';

/** A finished run of 600 steps in 900 s of training, 40 s start-up; each case adds what was measured. */
const rec = (p: Partial<SpeedRecord>): SpeedRecord =>
  newSpeedRecord({ runId: 'r', taskId: 't', model: 'Qwen/Qwen2.5-0.5B', finetuningType: 'lora', gpuName: 'NVIDIA H200', startedAt: 0, startupS: 40, endedAt: 1000, status: 'finished', totalSteps: 600, stepsDone: 600, trainS: 900, ...p });

describe('utilOf', () => {
  it.each([
    // 4 runs shared the card and each ran at 0.913 of its solo speed (the H200 fixture's K=4): util ≈ 1/(4 × 0.913/0.97³).
    { name: 'from the slowdown while sharing', r: rec({ soloSteps: 120, soloS: 60, sharedSteps: 2 * 0.913 * 600, sharedS: 600, sharedRunsS: 4 * 600 }), util: 1 / (4 * (0.913 / 0.97 ** 3)) },
    { name: 'from the card utilisation while alone when it never shared', r: rec({ soloSteps: 120, soloS: 60, utilSum: 0.62 * 10, utilN: 10 }), util: 0.62 },
    { name: 'nothing when neither was measured', r: rec({}), util: undefined },
    { name: 'clamped to at least 5 %', r: rec({ utilSum: 0.01 * 5, utilN: 5 }), util: 0.05 },
  ])('$name', ({ r, util }) => {
    const got = utilOf(r);
    if (util === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(util, 3);
  });
});

describe('soloWorkOf', () => {
  it('is its steps at its solo rate, else its training wall time; unfinished runs say nothing', () => {
    expect(soloWorkOf(rec({ soloSteps: 60, soloS: 60 }))).toBe(600);
    expect(soloWorkOf(rec({}))).toBe(900);
    expect(soloWorkOf(rec({ status: 'failed' }))).toBeUndefined();
  });
});

describe('profileFromHistory', () => {
  it('uses the same task first, then the same model + method, else nothing', () => {
    const task = [rec({ trainS: 800, startupS: 30 }), rec({ trainS: 1000, startupS: 50 }), rec({ trainS: 900, startupS: 40, status: 'stopped' })];
    expect(profileFromHistory({ task, model: [rec({ trainS: 99 })] })).toMatchObject({ basis: 'task', runs: 3, workS: 900, startupS: 40 });
    expect(profileFromHistory({ task: [], model: [rec({ taskId: 'other', trainS: 300 })] })).toMatchObject({ basis: 'model', workS: 300 });
    expect(profileFromHistory({ task: [], model: [] })).toEqual({ workS: null, basis: 'none', runs: 0 });
  });

  it('prefers compute shares measured on the same card', () => {
    const h = { task: [rec({ gpuName: 'RTX 4090', utilSum: 9, utilN: 10 }), rec({ gpuName: 'NVIDIA H200', utilSum: 3, utilN: 10 })], model: [] };
    expect(profileFromHistory(h, 'NVIDIA H200').util).toBeCloseTo(0.3);
    expect(profileFromHistory(h, 'RTX 4090').util).toBeCloseTo(0.9);
  });
});

describe('runningProfile', () => {
  const expected = { util: 0.4, workS: 1200, startupS: 100, basis: 'task' as const, runs: 2 };
  const progress = (step: number, totalSteps: number | null, etaSeconds: number | null) => ({ step, totalSteps, percent: null, epoch: null, elapsedSeconds: 60, etaSeconds, tokensPerSec: null, lastLoss: null, lastEvalLoss: null });
  it.each([
    { name: 'loading: the rest of its start-up and all of its work', p: { startedAt: 0, progress: null }, live: null, now: 30_000, want: { startupLeftS: 70, workLeftS: 1200 } },
    { name: 'training with a measured solo rate: steps left at that rate', p: { startedAt: 0, progress: progress(100, 600, 999) }, live: { soloStepsPerS: 2, firstStepAt: 100_000 }, now: 200_000, want: { startupLeftS: 0, workLeftS: 250 } },
    { name: 'training without a solo rate: the trainer ETA', p: { startedAt: 0, progress: progress(100, 600, 777) }, live: { soloStepsPerS: null, firstStepAt: 100_000 }, now: 200_000, want: { startupLeftS: 0, workLeftS: 777 } },
    { name: 'no ETA yet: the expected length times the part left', p: { startedAt: 0, progress: progress(150, 600, null) }, live: null, now: 200_000, want: { startupLeftS: 0, workLeftS: 900 } },
  ])('$name', ({ p, live, now, want }) => {
    expect(runningProfile(p, expected, live, now, 120)).toEqual({ util: 0.4, ...want });
  });

  it('a task without history takes its compute share from the run itself once measured', () => {
    const none = { workS: null, basis: 'none' as const, runs: 0 };
    const p = { startedAt: 0, progress: progress(100, 600, 500) };
    expect(runningProfile(p, none, { soloStepsPerS: null, firstStepAt: 1, util: 0.7 }, 200_000, 120).util).toBe(0.7);
    expect(runningProfile(p, none, { soloStepsPerS: null, firstStepAt: 1 }, 200_000, 120).util).toBeUndefined();
  });
});
