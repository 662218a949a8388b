/** The shared rule for live runs: exactly starting, running and stopping, for a status, a run, or a lookup that found nothing. */
import { describe, expect, it } from 'vitest';
import { ACTIVE_RUN_STATUSES, isActiveStatus, isRunActive } from '../../../src/shared/domain/runState.js';
import type { RunStatus } from '../../../src/shared/types/run.js';

describe('run state', () => {
  it('counts a run as live while a process may remain', () => {
    const all: RunStatus[] = ['starting', 'running', 'stopping', 'finished', 'failed', 'stopped', 'lost'];
    expect(all.filter(isActiveStatus)).toEqual(['starting', 'running', 'stopping']);
    expect([...ACTIVE_RUN_STATUSES]).toEqual(['starting', 'running', 'stopping']);
  });

  it('treats a missing run as not live', () => {
    expect(isRunActive(null)).toBe(false);
    expect(isRunActive(undefined)).toBe(false);
    expect(isRunActive({ status: 'stopping' })).toBe(true);
    expect(isRunActive({ status: 'lost' })).toBe(false);
  });
});
