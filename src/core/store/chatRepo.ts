/** The chat tables: conversations, messages, comparisons and votes, prompt sets and their runs, server records (JSON columns parsed here). */
import {
  type AnswerStats,
  type ChatMessage,
  type Comparison,
  type Conversation,
  DEFAULT_GEN_PARAMS,
  type PromptRun,
  type PromptSet,
  type VoteStats,
} from '../../shared/types/chat.js';
import type { Db } from './db.js';

interface ConvRow {
  id: string;
  run_id: string;
  checkpoint: string | null;
  title: string;
  system: string;
  params: string;
  comparison_id: string | null;
  created_at: number;
  updated_at: number;
}
interface MsgRow {
  id: string;
  conversation_id: string;
  role: string;
  content: string;
  status: string;
  error: string | null;
  restartable: number;
  finish_reason: string | null;
  stats: string | null;
  created_at: number;
}
interface CmpRow {
  id: string;
  prompt: string;
  blind: number;
  entries: string;
  vote: string | null;
  created_at: number;
}
export interface ServerRecord {
  apiRunId: string;
  runId: string;
  checkpoint: string | null;
  port: number;
  apiKey: string;
  deployed: boolean;
}

const conv = (r: ConvRow): Conversation => ({
  id: r.id,
  runId: r.run_id,
  checkpoint: r.checkpoint,
  title: r.title,
  system: r.system,
  params: { ...DEFAULT_GEN_PARAMS, ...(JSON.parse(r.params) as object) },
  comparisonId: r.comparison_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const msg = (r: MsgRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  role: r.role as ChatMessage['role'],
  content: r.content,
  status: r.status as ChatMessage['status'],
  error: r.error,
  restartable: r.restartable === 1,
  finishReason: r.finish_reason,
  stats: r.stats ? (JSON.parse(r.stats) as AnswerStats) : null,
  createdAt: r.created_at,
});
const cmp = (r: CmpRow): Comparison => ({
  id: r.id,
  prompt: r.prompt,
  blind: r.blind === 1,
  entries: JSON.parse(r.entries) as Comparison['entries'],
  vote: r.vote === null ? null : (JSON.parse(r.vote) as Comparison['vote']),
  createdAt: r.created_at,
});

type PromptSetRow = { id: string; name: string; prompts: string; created_at: number };
type PromptRunRow = { id: string; set_id: string; run_id: string; checkpoint: string | null; items: string; status: string; error: string | null; created_at: number };
type ServerRow = { api_run_id: string; run_id: string; checkpoint: string | null; port: number; api_key: string; deployed: number };

const promptRun = (r: PromptRunRow): PromptRun => ({
  id: r.id,
  setId: r.set_id,
  target: { runId: r.run_id, checkpoint: r.checkpoint },
  items: JSON.parse(r.items) as PromptRun['items'],
  status: r.status as PromptRun['status'],
  error: r.error,
  createdAt: r.created_at,
});

export function createChatRepo(db: Db) {
  const st = {
    saveConversation: db.prepare(
      `INSERT INTO chat_conversations (id, run_id, checkpoint, title, system, params, comparison_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, system = excluded.system, params = excluded.params, updated_at = excluded.updated_at`,
    ),
    conversation: db.prepare<ConvRow>('SELECT * FROM chat_conversations WHERE id = ?'),
    conversationsOfRun: db.prepare<ConvRow>('SELECT * FROM chat_conversations WHERE run_id = ? AND comparison_id IS NULL ORDER BY updated_at DESC'),
    conversations: db.prepare<ConvRow>('SELECT * FROM chat_conversations WHERE comparison_id IS NULL ORDER BY updated_at DESC'),
    deleteConversation: db.prepare('DELETE FROM chat_conversations WHERE id = ?'),
    touch: db.prepare('UPDATE chat_conversations SET updated_at = ? WHERE id = ?'),
    saveMessage: db.prepare(
      `INSERT INTO chat_messages (id, conversation_id, seq, role, content, status, error, restartable, finish_reason, stats, created_at)
       VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE conversation_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET content = excluded.content, status = excluded.status, error = excluded.error,
         restartable = excluded.restartable, finish_reason = excluded.finish_reason, stats = excluded.stats`,
    ),
    message: db.prepare<MsgRow>('SELECT * FROM chat_messages WHERE id = ?'),
    messages: db.prepare<MsgRow>('SELECT * FROM chat_messages WHERE conversation_id = ? ORDER BY seq'),
    deleteMessage: db.prepare('DELETE FROM chat_messages WHERE id = ?'),
    settleStreaming: db.prepare(`UPDATE chat_messages SET status = 'error', error = 'The engine stopped while this answer was streaming.' WHERE status = 'streaming'`),
    saveComparison: db.prepare(
      `INSERT INTO chat_comparisons (id, prompt, blind, entries, vote, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET entries = excluded.entries, vote = excluded.vote`,
    ),
    comparison: db.prepare<CmpRow>('SELECT * FROM chat_comparisons WHERE id = ?'),
    comparisons: db.prepare<CmpRow>('SELECT * FROM chat_comparisons ORDER BY created_at DESC LIMIT ?'),
    dropVotes: db.prepare('DELETE FROM chat_votes WHERE comparison_id = ?'),
    addVote: db.prepare('INSERT OR REPLACE INTO chat_votes (comparison_id, run_id, checkpoint, outcome) VALUES (?, ?, ?, ?)'),
    votes: db.prepare<{ run_id: string; wins: number; losses: number; ties: number }>(
      `SELECT run_id, SUM(outcome = 'win') AS wins, SUM(outcome = 'loss') AS losses, SUM(outcome = 'tie') AS ties
       FROM chat_votes GROUP BY run_id ORDER BY run_id`,
    ),
    savePromptSet: db.prepare(
      `INSERT INTO chat_prompt_sets (id, name, prompts, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, prompts = excluded.prompts`,
    ),
    promptSets: db.prepare<PromptSetRow>('SELECT * FROM chat_prompt_sets ORDER BY created_at DESC'),
    deletePromptSet: db.prepare('DELETE FROM chat_prompt_sets WHERE id = ?'),
    savePromptRun: db.prepare(
      `INSERT INTO chat_prompt_runs (id, set_id, run_id, checkpoint, items, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET items = excluded.items, status = excluded.status, error = excluded.error`,
    ),
    promptRunsOfSet: db.prepare<PromptRunRow>('SELECT * FROM chat_prompt_runs WHERE set_id = ? ORDER BY created_at DESC'),
    promptRuns: db.prepare<PromptRunRow>('SELECT * FROM chat_prompt_runs ORDER BY created_at DESC LIMIT 200'),
    saveServer: db.prepare(
      `INSERT INTO chat_servers (api_run_id, run_id, checkpoint, port, api_key, deployed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(api_run_id) DO UPDATE SET deployed = excluded.deployed`,
    ),
    server: db.prepare<ServerRow>('SELECT * FROM chat_servers WHERE api_run_id = ?'),
  };

  const saveComparison = (c: Comparison): void =>
    void st.saveComparison.run(c.id, c.prompt, c.blind ? 1 : 0, JSON.stringify(c.entries), c.vote === null ? null : JSON.stringify(c.vote), c.createdAt);
  const promptSets = (): PromptSet[] =>
    st.promptSets.all().map((r) => ({ id: r.id, name: r.name, prompts: JSON.parse(r.prompts) as PromptSet['prompts'], createdAt: r.created_at }));

  return {
    // ---- conversations and messages ----
    saveConversation: (c: Conversation): void =>
      void st.saveConversation.run(c.id, c.runId, c.checkpoint, c.title, c.system, JSON.stringify(c.params), c.comparisonId, c.createdAt, c.updatedAt),
    conversation: (id: string): Conversation | null => {
      const r = st.conversation.get(id);
      return r ? conv(r) : null;
    },
    /** The user's own conversations (not the hidden columns of comparisons), newest first. */
    conversations: (runId?: string): Conversation[] => (runId ? st.conversationsOfRun.all(runId) : st.conversations.all()).map(conv),
    deleteConversation: (id: string): void => void st.deleteConversation.run(id),
    touch: (id: string, at: number): void => void st.touch.run(at, id),

    saveMessage: (m: ChatMessage): void =>
      void st.saveMessage.run(
        m.id,
        m.conversationId,
        m.conversationId,
        m.role,
        m.content,
        m.status,
        m.error,
        m.restartable ? 1 : 0,
        m.finishReason,
        m.stats ? JSON.stringify(m.stats) : null,
        m.createdAt,
      ),
    message: (id: string): ChatMessage | null => {
      const r = st.message.get(id);
      return r ? msg(r) : null;
    },
    messages: (conversationId: string): ChatMessage[] => st.messages.all(conversationId).map(msg),
    deleteMessage: (id: string): void => void st.deleteMessage.run(id),
    /** Answers left 'streaming' by an engine that went away: they will never finish. */
    settleStreaming: (): number => st.settleStreaming.run().changes,

    // ---- comparisons and votes ----
    saveComparison,
    comparison: (id: string): Comparison | null => {
      const r = st.comparison.get(id);
      return r ? cmp(r) : null;
    },
    comparisons: (limit: number): Comparison[] => st.comparisons.all(limit).map(cmp),
    /** Replaces the outcome rows of one comparison (a re-vote overwrites) in one transaction. */
    recordVote: db.transaction((c: Comparison, outcomes: { runId: string; checkpoint: string | null; outcome: 'win' | 'loss' | 'tie' }[]): void => {
      saveComparison(c);
      st.dropVotes.run(c.id);
      for (const o of outcomes) st.addVote.run(c.id, o.runId, o.checkpoint ?? '', o.outcome);
    }),
    votes: (runIds?: string[]): VoteStats[] => {
      const want = runIds ? new Set(runIds) : null;
      return st.votes
        .all()
        .filter((r) => !want || want.has(r.run_id))
        .map((r) => ({ runId: r.run_id, wins: r.wins, losses: r.losses, ties: r.ties }));
    },

    // ---- prompt sets and their runs ----
    savePromptSet: (s: PromptSet): void => void st.savePromptSet.run(s.id, s.name, JSON.stringify(s.prompts), s.createdAt),
    promptSets,
    promptSet: (id: string): PromptSet | null => promptSets().find((s) => s.id === id) ?? null,
    deletePromptSet: (id: string): void => void st.deletePromptSet.run(id),
    savePromptRun: (r: PromptRun): void =>
      void st.savePromptRun.run(r.id, r.setId, r.target.runId, r.target.checkpoint, JSON.stringify(r.items), r.status, r.error, r.createdAt),
    promptRuns: (setId?: string): PromptRun[] => (setId ? st.promptRunsOfSet.all(setId) : st.promptRuns.all()).map(promptRun),

    // ---- servers ----
    saveServer: (s: ServerRecord): void =>
      void st.saveServer.run(s.apiRunId, s.runId, s.checkpoint, s.port, s.apiKey, s.deployed ? 1 : 0, Date.now()),
    server: (apiRunId: string): ServerRecord | null => {
      const r = st.server.get(apiRunId);
      return r ? { apiRunId: r.api_run_id, runId: r.run_id, checkpoint: r.checkpoint, port: r.port, apiKey: r.api_key, deployed: r.deployed === 1 } : null;
    },
  };
}

export type ChatRepo = ReturnType<typeof createChatRepo>;
