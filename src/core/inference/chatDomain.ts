/** Chat domain: inference servers for runs and streaming conversations, side by side with votes, prompt sets, deploy. */
import { RpcError } from '../../shared/rpc/protocol.js';
import type { chatMethods, chatTopics } from '../../shared/contract/chat.js';
import type { ChatTarget, VoteStats } from '../../shared/types/chat.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { createChatRepo } from '../store/chatRepo.js';
import { Answerer } from './answer.js';
import { Comparisons } from './comparisons.js';
import { Conversations } from './conversations.js';
import { listCheckpoints } from '../runs/checkpoints.js';
import { parsePromptJsonl, PromptSets } from './promptSets.js';
import { type PoolOptions, ServerPool } from './serverPool.js';
import { logger } from '../log/logger.js';

const log = logger('chat');

/** What other domains (compare) may use: a ready server for a run, started or reused. */
export interface ChatServers {
  ensureServer(runId: string, checkpoint?: string | null): Promise<{ baseURL: string; apiKey: string; model: string; serverId: string }>;
  stopServer(serverId: string): Promise<void>;
}

export function createChatDomain(
  ctx: CoreContext,
  deps: { runs: RunSupervisor; gpus: GpuMonitor },
  opts: PoolOptions = {},
): Domain<typeof chatMethods, typeof chatTopics> & { servers: ChatServers; pool: ServerPool; votes(runIds?: string[]): VoteStats[] } {
  const repo = createChatRepo(ctx.db);
  const pool = new ServerPool(ctx, deps, opts);
  const answerer = new Answerer(ctx, pool, deps.runs);
  const conversations = new Conversations(repo, answerer);
  const comparisons = new Comparisons(repo, conversations, deps.runs);
  const promptSets = new PromptSets(ctx, repo, answerer);
  const target = (runId: string, checkpoint?: string | null): ChatTarget => ({ runId, checkpoint: checkpoint ?? null });
  // Answers finish after the request returned; their outcome is stored and sent as events, so a rejection here is a bug.
  const detach = (p: Promise<unknown>) => void p.catch((e: unknown) => log.error('answer failed', e));

  const servers: ChatServers = {
    async ensureServer(runId, checkpoint) {
      const s = await pool.ready(target(runId, checkpoint));
      return { baseURL: s.baseURL, apiKey: s.apiKey, model: s.model, serverId: s.id };
    },
    async stopServer(serverId) {
      await pool.stop(serverId);
    },
  };

  return {
    servers,
    votes: (runIds) => comparisons.votes(runIds),
    pool,
    start() {
      repo.settleStreaming();
      pool.start();
    },
    stop() {
      answerer.stopAll();
      pool.shutdown();
    },
    handlers: {
      'chat.servers': () => pool.list(),
      'chat.serve': ({ runId, checkpoint, gpuUuid, deployed }) => pool.ensure(target(runId, checkpoint), { gpuUuid, deployed }),
      'chat.stopServer': ({ serverId }) => pool.stop(serverId),
      'chat.deploy': ({ serverId, deployed }) => pool.setDeployed(serverId, deployed),
      'chat.close': async ({ runId, checkpoint }) => {
        await pool.close(target(runId, checkpoint));
        return null;
      },
      'chat.checkpoints': ({ runId }) => {
        const run = deps.runs.get(runId);
        if (!run) throw new RpcError('not_found', `No run ${runId}.`);
        return listCheckpoints(run.outputDir);
      },
      'chat.conversations': ({ runId }) => conversations.list(runId),
      'chat.createConversation': ({ runId, checkpoint, system, params }) => {
        if (!deps.runs.get(runId)) throw new RpcError('not_found', `No run ${runId}.`);
        return conversations.create({ runId, checkpoint: checkpoint ?? null, system, params });
      },
      'chat.updateConversation': ({ id, ...patch }) => conversations.update(id, patch),
      'chat.deleteConversation': ({ id }) => {
        conversations.remove(id);
        return null;
      },
      'chat.messages': ({ conversationId }) => conversations.messages(conversationId),
      'chat.send': ({ conversationId, content }) => {
        const { user, assistant, done } = conversations.send(conversationId, content);
        detach(done);
        return { user, assistant };
      },
      'chat.stop': ({ messageId }) => {
        answerer.stop(messageId);
        return null;
      },
      'chat.regenerate': ({ conversationId }) => {
        const { assistant, done } = conversations.regenerate(conversationId);
        detach(done);
        return assistant;
      },
      'chat.compare': ({ targets, prompt, blind, system, params }) => {
        const { comparison, done } = comparisons.start({ targets: targets.map((t) => target(t.runId, t.checkpoint)), prompt, blind, system, params });
        detach(done);
        return comparison;
      },
      'chat.vote': ({ comparisonId, vote }) => comparisons.vote(comparisonId, vote),
      'chat.comparisons': ({ limit }) => comparisons.list(limit ?? 50),
      'chat.votes': ({ runIds }) => comparisons.votes(runIds),
      'chat.promptSets': () => promptSets.list(),
      'chat.savePromptSet': (p) => promptSets.save(p),
      'chat.importPromptSet': ({ name, jsonl }) => promptSets.save({ name, prompts: parsePromptJsonl(jsonl) }),
      'chat.deletePromptSet': ({ id }) => {
        promptSets.remove(id);
        return null;
      },
      'chat.runPromptSet': ({ setId, runId, checkpoint, system, params }) => {
        const { run, done } = promptSets.run(setId, target(runId, checkpoint), { system, params });
        detach(done);
        return run;
      },
      'chat.promptRuns': ({ setId }) => promptSets.runs(setId),
    },
    subscriptions: {
      'chat.delta': ({ conversationId }, send) =>
        ctx.bus.on('chat.delta', (d) => {
          if (!conversationId || d.conversationId === conversationId) send(d);
        }),
      'chat.server': (_p, send) => ctx.bus.on('chat.server', send),
      'chat.promptRun': (_p, send) => ctx.bus.on('chat.promptRun', send),
    },
  };
}
