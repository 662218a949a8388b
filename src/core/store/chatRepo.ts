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

export class ChatRepo {
  constructor(private db: Db) {}

  // ---- conversations and messages ----
  saveConversation(c: Conversation): void {
    this.db
      .prepare(
        `INSERT INTO chat_conversations (id, run_id, checkpoint, title, system, params, comparison_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, system = excluded.system, params = excluded.params, updated_at = excluded.updated_at`,
      )
      .run(c.id, c.runId, c.checkpoint, c.title, c.system, JSON.stringify(c.params), c.comparisonId, c.createdAt, c.updatedAt);
  }
  conversation(id: string): Conversation | null {
    const r = this.db.prepare<ConvRow>('SELECT * FROM chat_conversations WHERE id = ?').get(id);
    return r ? conv(r) : null;
  }
  /** The user's own conversations (not the hidden columns of comparisons), newest first. */
  conversations(runId?: string): Conversation[] {
    const rows = runId
      ? this.db.prepare<ConvRow>('SELECT * FROM chat_conversations WHERE run_id = ? AND comparison_id IS NULL ORDER BY updated_at DESC').all(runId)
      : this.db.prepare<ConvRow>('SELECT * FROM chat_conversations WHERE comparison_id IS NULL ORDER BY updated_at DESC').all();
    return rows.map(conv);
  }
  deleteConversation(id: string): void {
    this.db.prepare('DELETE FROM chat_conversations WHERE id = ?').run(id);
  }
  touch(id: string, at: number): void {
    this.db.prepare('UPDATE chat_conversations SET updated_at = ? WHERE id = ?').run(at, id);
  }

  saveMessage(m: ChatMessage): void {
    this.db
      .prepare(
        `INSERT INTO chat_messages (id, conversation_id, seq, role, content, status, error, restartable, finish_reason, stats, created_at)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE conversation_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET content = excluded.content, status = excluded.status, error = excluded.error,
           restartable = excluded.restartable, finish_reason = excluded.finish_reason, stats = excluded.stats`,
      )
      .run(
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
      );
  }
  message(id: string): ChatMessage | null {
    const r = this.db.prepare<MsgRow>('SELECT * FROM chat_messages WHERE id = ?').get(id);
    return r ? msg(r) : null;
  }
  messages(conversationId: string): ChatMessage[] {
    return this.db.prepare<MsgRow>('SELECT * FROM chat_messages WHERE conversation_id = ? ORDER BY seq').all(conversationId).map(msg);
  }
  deleteMessage(id: string): void {
    this.db.prepare('DELETE FROM chat_messages WHERE id = ?').run(id);
  }
  /** Answers left 'streaming' by an engine that went away: they will never finish. */
  settleStreaming(): number {
    return this.db
      .prepare(`UPDATE chat_messages SET status = 'error', error = 'The engine stopped while this answer was streaming.' WHERE status = 'streaming'`)
      .run().changes;
  }

  // ---- comparisons and votes ----
  saveComparison(c: Comparison): void {
    this.db
      .prepare(
        `INSERT INTO chat_comparisons (id, prompt, blind, entries, vote, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET entries = excluded.entries, vote = excluded.vote`,
      )
      .run(c.id, c.prompt, c.blind ? 1 : 0, JSON.stringify(c.entries), c.vote === null ? null : JSON.stringify(c.vote), c.createdAt);
  }
  comparison(id: string): Comparison | null {
    const r = this.db.prepare<CmpRow>('SELECT * FROM chat_comparisons WHERE id = ?').get(id);
    return r ? cmp(r) : null;
  }
  comparisons(limit: number): Comparison[] {
    return this.db.prepare<CmpRow>('SELECT * FROM chat_comparisons ORDER BY created_at DESC LIMIT ?').all(limit).map(cmp);
  }
  /** Replaces the outcome rows of one comparison (a re-vote overwrites) in one transaction. */
  recordVote(c: Comparison, outcomes: { runId: string; checkpoint: string | null; outcome: 'win' | 'loss' | 'tie' }[]): void {
    this.db.transaction(() => {
      this.saveComparison(c);
      this.db.prepare('DELETE FROM chat_votes WHERE comparison_id = ?').run(c.id);
      const ins = this.db.prepare('INSERT OR REPLACE INTO chat_votes (comparison_id, run_id, checkpoint, outcome) VALUES (?, ?, ?, ?)');
      for (const o of outcomes) ins.run(c.id, o.runId, o.checkpoint ?? '', o.outcome);
    })();
  }
  votes(runIds?: string[]): VoteStats[] {
    const rows = this.db
      .prepare<{ run_id: string; wins: number; losses: number; ties: number }>(
        `SELECT run_id, SUM(outcome = 'win') AS wins, SUM(outcome = 'loss') AS losses, SUM(outcome = 'tie') AS ties
         FROM chat_votes GROUP BY run_id ORDER BY run_id`,
      )
      .all();
    const want = runIds ? new Set(runIds) : null;
    return rows.filter((r) => !want || want.has(r.run_id)).map((r) => ({ runId: r.run_id, wins: r.wins, losses: r.losses, ties: r.ties }));
  }

  // ---- prompt sets and their runs ----
  savePromptSet(s: PromptSet): void {
    this.db
      .prepare(
        `INSERT INTO chat_prompt_sets (id, name, prompts, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, prompts = excluded.prompts`,
      )
      .run(s.id, s.name, JSON.stringify(s.prompts), s.createdAt);
  }
  promptSets(): PromptSet[] {
    return this.db
      .prepare<{ id: string; name: string; prompts: string; created_at: number }>('SELECT * FROM chat_prompt_sets ORDER BY created_at DESC')
      .all()
      .map((r) => ({ id: r.id, name: r.name, prompts: JSON.parse(r.prompts) as PromptSet['prompts'], createdAt: r.created_at }));
  }
  promptSet(id: string): PromptSet | null {
    return this.promptSets().find((s) => s.id === id) ?? null;
  }
  deletePromptSet(id: string): void {
    this.db.prepare('DELETE FROM chat_prompt_sets WHERE id = ?').run(id);
  }
  savePromptRun(r: PromptRun): void {
    this.db
      .prepare(
        `INSERT INTO chat_prompt_runs (id, set_id, run_id, checkpoint, items, status, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET items = excluded.items, status = excluded.status, error = excluded.error`,
      )
      .run(r.id, r.setId, r.target.runId, r.target.checkpoint, JSON.stringify(r.items), r.status, r.error, r.createdAt);
  }
  promptRuns(setId?: string): PromptRun[] {
    type Row = { id: string; set_id: string; run_id: string; checkpoint: string | null; items: string; status: string; error: string | null; created_at: number };
    const rows = setId
      ? this.db.prepare<Row>('SELECT * FROM chat_prompt_runs WHERE set_id = ? ORDER BY created_at DESC').all(setId)
      : this.db.prepare<Row>('SELECT * FROM chat_prompt_runs ORDER BY created_at DESC LIMIT 200').all();
    return rows.map((r) => ({
      id: r.id,
      setId: r.set_id,
      target: { runId: r.run_id, checkpoint: r.checkpoint },
      items: JSON.parse(r.items) as PromptRun['items'],
      status: r.status as PromptRun['status'],
      error: r.error,
      createdAt: r.created_at,
    }));
  }

  // ---- servers ----
  saveServer(s: ServerRecord): void {
    this.db
      .prepare(
        `INSERT INTO chat_servers (api_run_id, run_id, checkpoint, port, api_key, deployed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(api_run_id) DO UPDATE SET deployed = excluded.deployed`,
      )
      .run(s.apiRunId, s.runId, s.checkpoint, s.port, s.apiKey, s.deployed ? 1 : 0, Date.now());
  }
  server(apiRunId: string): ServerRecord | null {
    const r = this.db
      .prepare<{ api_run_id: string; run_id: string; checkpoint: string | null; port: number; api_key: string; deployed: number }>(
        'SELECT * FROM chat_servers WHERE api_run_id = ?',
      )
      .get(apiRunId);
    return r ? { apiRunId: r.api_run_id, runId: r.run_id, checkpoint: r.checkpoint, port: r.port, apiKey: r.api_key, deployed: r.deployed === 1 } : null;
  }
}
