/** Contract of the Slurm domain: the cluster's partitions (board lanes), a run's job script, and cluster changes. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import type { SlurmCluster } from '../types/slurm.js';

export const slurmMethods = {
  'slurm.cluster': method<SlurmCluster>()(z.object({}).strict()),
  /** The batch script of a Slurm run, as submitted (kept in its run folder). */
  'slurm.jobScript': method<{ path: string; text: string }>()(z.object({ runId: z.string().min(1).max(100) }).strict()),
};

export const slurmTopics = {
  'slurm.cluster': topic<SlurmCluster>()(z.object({}).strict()),
};
