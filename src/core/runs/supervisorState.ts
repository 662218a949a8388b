/** What the supervisor's parts (live runs, adoption, run end) share: its options, stores, hub and the table of attached runs. */
import { ACTIVE_RUN_STATUSES, type Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import type { MetricsFollower } from '../metrics/follower.js';
import type { MetricsRepo } from '../store/metricsRepo.js';
import type { RunsRepo, StoredRun } from '../store/runsRepo.js';
import type { HolderLink } from './attach.js';
import type { LaunchSpec } from './supervisorApi.js';
import type { HubLimits, TerminalHub } from './terminalHub.js';

export interface SupervisorOptions {
  /** Replaces the trainer argv (tests use scripted trainers): gets the subcommand and the config copy's path. */
  commandFor?: (sub: 'train' | 'api', configPath: string, spec: LaunchSpec) => string[];
  /** SIGABRT (graceful save) → SIGTERM after this long. */
  stopGraceMs?: number;
  /** SIGTERM → SIGKILL to every process of the session after this long. */
  killAfterMs?: number;
  metricsPollMs?: number;
  hubLimits?: HubLimits;
  /** How long launch waits for the holder to report the trainer's pid. */
  holderStartMs?: number;
}

/** A run this engine is attached to right now. */
export interface Live {
  link: HolderLink | null;
  trainerPid: number;
  follower: MetricsFollower | null;
  timers: NodeJS.Timeout[];
  lastChangeEmit: number;
  changeTimer: NodeJS.Timeout | null;
  ending: boolean;
}

/** The Supervisor builds one of these and hands it to the helpers, so they touch exactly the state it owns and nothing else. */
export interface SupervisorState {
  readonly ctx: CoreContext;
  readonly opts: SupervisorOptions;
  readonly repo: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly hub: TerminalHub;
  readonly live: Map<string, Live>;
  /** Pending re-adoptions of holders that were alive but did not answer; shutdown clears them. */
  readonly retries: Set<NodeJS.Timeout>;
  /** Broadcasts the run (already saved) on the bus and to onChange listeners. */
  changed(run: StoredRun, statusChange: boolean): void;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const isActive = (r: Run) => ACTIVE_RUN_STATUSES.includes(r.status);
