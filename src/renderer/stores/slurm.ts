/** The Slurm cluster as the engine reads it (partitions = board lanes, their nodes and GPUs), from slurm.cluster and its topic. */
import { create } from 'zustand';
import type { SlurmCluster, SlurmPartition } from '../../shared/types/slurm.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';
import { once, reloadOnReconnect } from './sync.js';

interface SlurmStore {
  cluster: SlurmCluster | null;
  set(c: SlurmCluster): void;
  partition(name: string): SlurmPartition | null;
}

export const useSlurm = create<SlurmStore>((set, get) => ({
  cluster: null,
  set: (cluster) => set({ cluster }),
  partition: (name) => get().cluster?.partitions.find((p) => p.name === name) ?? null,
}));

function load(): void {
  api
    .call('slurm.cluster', {})
    .then((c) => useSlurm.getState().set(c))
    .catch(() => undefined);
}

function subscribeAll(): () => void {
  load();
  const offTopic = followTopic('slurm.cluster', {}, (c) => useSlurm.getState().set(c));
  const offReconnect = reloadOnReconnect(load);
  return () => {
    offTopic();
    offReconnect();
  };
}

/** Idempotent: main.tsx starts it once. */
export const startSlurmSync = once(subscribeAll);
