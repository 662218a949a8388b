/** What the supervisor's parts (live runs, adoption, run end) share: its options, stores, hub and the table of attached runs. */
import { isActiveStatus } from '../../shared/domain/runState.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import type { MetricsFollower } from '../metrics/follower.js';
import type { MetricsRepo } from '../store/metricsRepo.js';
import type { RunsRepo, StoredRun } from '../store/runsRepo.js';
import type { HolderLink } from './attach.js';
import type { Escalation } from './procTree.js';
import type { LaunchSpec } from './supervisorApi.js';
import type { HubLimits, TerminalHub } from './terminalHub.js';
import type { TrainerSub } from './trainerCommand.js';

export interface SupervisorOptions {
  /** Replaces the trainer argv (tests use scripted trainers): gets the subcommand and the config copy's path. */
  commandFor?: (sub: TrainerSub, configPath: string, spec: LaunchSpec) => string[];
  /** Graceful signal → SIGTERM after this long; overrides the setting `stopGraceSeconds` (tests). */
  stopGraceMs?: number;
  /** SIGTERM → SIGKILL to every process of the run after this long (default 10 s). */
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
  /** Its holder predates the run marker and stop.json: the engine finds the trainer's tree and escalates a stop itself. */
  legacy: boolean;
  follower: MetricsFollower | null;
  /** The engine's own stop escalation (legacy holders only; a current holder runs the stop itself). */
  escalation: Escalation | null;
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
  /** Lost runs (holder gone) whose leftover processes are being stopped, by run id; shutdown cancels them. */
  readonly reapers: Map<string, Escalation>;
  /** Broadcasts the run (already saved) on the bus and to onChange listeners. */
  changed(run: StoredRun): void;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const isActive = (r: Run) => isActiveStatus(r.status);
