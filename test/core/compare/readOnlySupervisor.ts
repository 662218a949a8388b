/** A RunSupervisor over stored runs for compare tests: queries read the store, launches and stops are refused. */
import type { RunSupervisor } from '../../../src/core/runs/supervisorApi.js';
import type { RunsRepo } from '../../../src/core/store/runsRepo.js';

export function readOnlySupervisor(runs: () => RunsRepo): RunSupervisor {
  return {
    launch: () => Promise.reject(new Error('not in this test')),
    stop: () => Promise.reject(new Error('not in this test')),
    get: (id) => runs().get(id),
    list: () => runs().list(),
    active: () => runs().active(),
    onChange: () => () => undefined,
    runIdForPid: () => null,
  };
}
