/** The whole API contract: every request and event topic the UI can use, in one place. */
import type { RpcClient } from '../rpc/client.js';
import { chatMethods, chatTopics } from './chat.js';
import { compareMethods, compareTopics } from './compare.js';
import { gpuMethods, gpuTopics } from './gpus.js';
import { remoteMethods, remoteTopics } from './remotes.js';
import { runMethods, runTopics } from './runs.js';
import { slurmMethods, slurmTopics } from './slurm.js';
import { systemMethods, systemTopics } from './system.js';
import { taskMethods, taskTopics } from './tasks.js';

export const methods = {
  ...systemMethods,
  ...gpuMethods,
  ...runMethods,
  ...taskMethods,
  ...compareMethods,
  ...chatMethods,
  ...slurmMethods,
  ...remoteMethods,
};

export const topics = {
  ...systemTopics,
  ...gpuTopics,
  ...runTopics,
  ...taskTopics,
  ...compareTopics,
  ...chatTopics,
  ...slurmTopics,
  ...remoteTopics,
};

export type Methods = typeof methods;
export type Topics = typeof topics;
export type ApiClient = RpcClient<Methods, Topics>;
export type MethodName = keyof Methods;
export type TopicName = keyof Topics;
