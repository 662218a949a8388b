/** Contract of chat and inference servers: start/stop a server for a run, conversations, streaming answers, votes. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import type { ChatDelta, ChatMessage, ChatServer, Comparison, Conversation, PromptRun, PromptSet, VoteStats } from '../types/chat.js';

const id = z.string().min(1).max(100);
const checkpoint = z
  .string()
  .regex(/^checkpoint-\d+$/, 'A checkpoint is a folder named checkpoint-N.')
  .nullable()
  .optional();
const target = z.object({ runId: id, checkpoint }).strict();
const genParams = z
  .object({
    temperature: z.number().min(0).max(2),
    topP: z.number().gt(0).max(1),
    maxTokens: z.number().int().min(1).max(32_768),
  })
  .strict();
const system = z.string().max(20_000);
const promptItem = z.object({ prompt: z.string().min(1).max(20_000), expected: z.string().max(2_000).nullable() }).strict();

export const chatMethods = {
  /** Every inference server Trainyard started that is still alive (or failed recently). */
  'chat.servers': method<ChatServer[]>()(z.object({}).strict()),
  /** Starts (or reuses) the server for a target; returns at once — watch chat.server for loading and ready. */
  'chat.serve': method<ChatServer>()(
    z.object({ runId: id, checkpoint, gpuUuid: z.string().max(200).nullable().optional(), deployed: z.boolean().optional() }).strict(),
  ),
  'chat.stopServer': method<ChatServer>()(z.object({ serverId: id }).strict()),
  /** Marks a server as deployed (kept running as an API) or not. */
  'chat.deploy': method<ChatServer>()(z.object({ serverId: id, deployed: z.boolean() }).strict()),
  /** The chat window closed: stops the target's server unless it is deployed. */
  'chat.close': method<null>()(target),
  'chat.checkpoints': method<string[]>()(z.object({ runId: id }).strict()),
  'chat.conversations': method<Conversation[]>()(z.object({ runId: id.optional() }).strict()),
  'chat.createConversation': method<Conversation>()(
    z.object({ runId: id, checkpoint, system: system.optional(), params: genParams.optional() }).strict(),
  ),
  'chat.updateConversation': method<Conversation>()(
    z.object({ id, title: z.string().min(1).max(200).optional(), system: system.optional(), params: genParams.optional() }).strict(),
  ),
  'chat.deleteConversation': method<null>()(z.object({ id }).strict()),
  'chat.messages': method<ChatMessage[]>()(z.object({ conversationId: id }).strict()),
  /** Appends the user's message and starts the answer; text arrives as chat.delta events for the returned assistant message. */
  'chat.send': method<{ user: ChatMessage; assistant: ChatMessage }>()(
    z.object({ conversationId: id, content: z.string().min(1).max(100_000) }).strict(),
  ),
  /** Aborts a streaming answer; what arrived so far is kept (status 'stopped'). */
  'chat.stop': method<null>()(z.object({ messageId: id }).strict()),
  /** Replaces the last answer of the conversation with a fresh one. */
  'chat.regenerate': method<ChatMessage>()(z.object({ conversationId: id }).strict()),
  /** One prompt to 2–4 targets at once; blind hides which is which until chat.vote. */
  'chat.compare': method<Comparison>()(
    z
      .object({
        targets: z.array(target).min(2).max(4),
        prompt: z.string().min(1).max(100_000),
        blind: z.boolean(),
        system: system.optional(),
        params: genParams.optional(),
      })
      .strict(),
  ),
  'chat.vote': method<Comparison>()(
    z.object({ comparisonId: id, vote: z.union([z.number().int().min(0).max(3), z.literal('tie'), z.literal('bad')]) }).strict(),
  ),
  'chat.comparisons': method<Comparison[]>()(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict()),
  /** Per-run win/loss/tie counts from side-by-side votes (the Compare table reads these). */
  'chat.votes': method<VoteStats[]>()(z.object({ runIds: z.array(id).max(500).optional() }).strict()),
  'chat.promptSets': method<PromptSet[]>()(z.object({}).strict()),
  'chat.savePromptSet': method<PromptSet>()(
    z.object({ id: id.optional(), name: z.string().min(1).max(200), prompts: z.array(promptItem).min(1).max(1000) }).strict(),
  ),
  /** JSONL text of {prompt, expected} lines; a bad line is reported with its number and nothing is saved. */
  'chat.importPromptSet': method<PromptSet>()(z.object({ name: z.string().min(1).max(200), jsonl: z.string().min(1).max(5_000_000) }).strict()),
  'chat.deletePromptSet': method<null>()(z.object({ id }).strict()),
  /** Runs every prompt of a set, one after another, against a target. */
  'chat.runPromptSet': method<PromptRun>()(
    z.object({ setId: id, runId: id, checkpoint, system: system.optional(), params: genParams.optional() }).strict(),
  ),
  'chat.promptRuns': method<PromptRun[]>()(z.object({ setId: id.optional() }).strict()),
};

export const chatTopics = {
  /** Text pieces and the final event of answers; filter by conversation (or prompt run) id, or get them all. */
  'chat.delta': topic<ChatDelta>()(z.object({ conversationId: id.optional() }).strict()),
  /** A server changed (status, loading progress, failure). */
  'chat.server': topic<ChatServer>()(z.object({}).strict()),
  'chat.promptRun': topic<PromptRun>()(z.object({}).strict()),
};
