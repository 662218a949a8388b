/** Runs another domain executes (Slurm jobs): the supervisor leaves their adoption, stop and restart to their owner. */
import type { Run } from '../../shared/types/run.js';
import type { LaunchSpec } from './supervisorApi.js';

export interface ExternalRuns {
  /** True for a run this owner started (its record says so); the supervisor then never looks for a holder. */
  owns(runId: string): boolean;
  /** Stop it the owner's way (e.g. scancel with the graceful signal, then scancel). */
  stop(runId: string): Promise<Run>;
  /** Start it again the same way (Restart / Resume on the run page). */
  relaunch(oldRunId: string, spec: LaunchSpec): Promise<Run>;
  /** Extra fields of the public run (its Slurm job). */
  describe(runId: string): Partial<Run> | null;
}
