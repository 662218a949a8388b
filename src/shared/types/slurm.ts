/** Slurm domain types: partitions shown as board lanes, their nodes and GPUs, and the Slurm job behind a run. */

/** A node of a partition as `sinfo` reports it. */
export interface SlurmNode {
  name: string;
  /** Slurm's node state, lower case (`idle`, `mixed`, `allocated`, `drained`, `down`, …). */
  state: string;
  /** Why a node is drained or down (`sinfo`'s reason), else null. */
  reason: string | null;
  gpusTotal: number;
  gpusUsed: number;
  cpus: number;
}

export interface SlurmPartition {
  name: string;
  /** `up`, `down`, `drain` or `inactive` (sinfo's AVAIL). */
  availability: string;
  /** The partition's time limit as Slurm writes it (`infinite`, `1-00:00:00`), null when unknown. */
  timeLimit: string | null;
  isDefault: boolean;
  nodes: SlurmNode[];
}

/** What the engine knows of the cluster: null `problem` when `sinfo` answered. */
export interface SlurmCluster {
  available: boolean;
  /** Why there are no Slurm lanes (no sinfo on PATH, it failed), or null. */
  problem: string | null;
  partitions: SlurmPartition[];
  updatedAt: number;
}

/** Slurm job states Trainyard tells apart (squeue/sacct %T); anything else is kept as Slurm wrote it. */
export type SlurmJobState =
  | 'PENDING'
  | 'CONFIGURING'
  | 'RUNNING'
  | 'COMPLETING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'OUT_OF_MEMORY'
  | 'NODE_FAIL'
  | 'PREEMPTED'
  | 'REQUEUED'
  | 'BOOT_FAIL'
  | 'DEADLINE'
  | (string & {});

/** What sbatch is asked for; from the queue item (task) or Settings → Slurm. */
export interface SlurmRequest {
  nodes: number;
  gpusPerNode: number;
  /** sbatch --time, e.g. `2:00:00`; null: the partition's default. */
  timeLimit: string | null;
  account: string | null;
  qos: string | null;
}

/** The Slurm job of a run (runs submitted to a `slurm:<partition>` lane). */
export interface SlurmJob {
  jobId: string;
  partition: string;
  state: SlurmJobState;
  /** Why it waits (`Resources`, `Priority`, …) or ended, as squeue says; null when none. */
  reason: string | null;
  /** Allocated nodes (Slurm's compressed list), empty while pending. */
  nodeList: string;
  request: SlurmRequest;
  /** The batch script Trainyard wrote into the run folder (kept; shown on the run page). */
  scriptPath: string;
  /** How many times Slurm requeued it (preemption, node failure). */
  requeues: number;
  submittedAt: number;
}
