/** Chat domain types: inference servers for runs, conversations and messages, side-by-side comparisons, votes, prompt sets. */

/** What a server serves: a run's final output, or one of its checkpoint-N folders. */
export interface ChatTarget {
  runId: string;
  /** Folder name like "checkpoint-40", or null for the run's output dir. */
  checkpoint: string | null;
}

export type ServerStatus = 'starting' | 'loading' | 'ready' | 'failed' | 'stopped';

export interface ChatServer {
  /** The id of the api run that hosts it (a run of kind 'api'). */
  id: string;
  runId: string;
  runName: string;
  checkpoint: string | null;
  status: ServerStatus;
  /** The last meaningful line of its log while it loads (model, adapter, …). */
  progress: string;
  port: number;
  baseURL: string;
  apiKey: string;
  /** The id GET /v1/models answers with (the request's model field is only echoed back). */
  model: string;
  gpuIndices: number[];
  gpuUuids: string[];
  /** Left running as an API for other programs: not stopped on close or when idle. */
  deployed: boolean;
  startedAt: number;
  readyAt: number | null;
  lastUsedAt: number;
  failure: { message: string; logTail: string } | null;
}

export interface GenParams {
  temperature: number;
  topP: number;
  maxTokens: number;
}

export const DEFAULT_GEN_PARAMS: GenParams = { temperature: 0.7, topP: 0.9, maxTokens: 512 };

export interface Conversation {
  id: string;
  runId: string;
  checkpoint: string | null;
  title: string;
  system: string;
  params: GenParams;
  /** Set for the hidden per-column conversations of a side-by-side comparison. */
  comparisonId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AnswerStats {
  /** Request sent → first non-empty text piece. */
  ttftMs: number | null;
  /** Text pieces (≈ tokens: the server streams one per decode step) per second after the first. */
  tokensPerSec: number | null;
  totalMs: number;
  completionTokens: number;
}

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface ChatMessage {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  error: string | null;
  /** The server died mid-answer: the UI offers a restart. */
  restartable: boolean;
  finishReason: string | null;
  stats: AnswerStats | null;
  createdAt: number;
}

/** `chat.delta` events: text pieces, then one final event (`done`) for the message. */
export type ChatDelta =
  | { conversationId: string; messageId: string; text: string }
  | {
      conversationId: string;
      messageId: string;
      done: { status: MessageStatus; finishReason: string | null; stats: AnswerStats | null; error: string | null; restartable: boolean; content: string };
    };

export type VoteChoice = number | 'tie' | 'bad';

export interface ComparisonEntry {
  /** "A", "B", … in the (shuffled, when blind) column order. */
  slot: string;
  conversationId: string;
  messageId: string;
  /** Hidden (null) in blind mode until the vote. */
  target: ChatTarget | null;
  runName: string | null;
}

export interface Comparison {
  id: string;
  prompt: string;
  blind: boolean;
  entries: ComparisonEntry[];
  /** Index into entries, 'tie', 'bad' (all bad), or null before the vote. */
  vote: VoteChoice | null;
  createdAt: number;
}

export interface VoteStats {
  runId: string;
  wins: number;
  losses: number;
  ties: number;
}

export interface PromptItem {
  prompt: string;
  expected: string | null;
}

export interface PromptSet {
  id: string;
  name: string;
  prompts: PromptItem[];
  createdAt: number;
}

export interface PromptRunItem extends PromptItem {
  messageId: string;
  answer: string;
  status: MessageStatus | 'queued';
  /** Whether the answer contains `expected` (case-insensitive), null without an expectation or before the answer. */
  pass: boolean | null;
  stats: AnswerStats | null;
}

/** One prompt set run against one target; its answers stream as chat.delta with conversationId = this id. */
export interface PromptRun {
  id: string;
  setId: string;
  target: ChatTarget;
  items: PromptRunItem[];
  status: 'running' | 'done' | 'failed';
  error: string | null;
  createdAt: number;
}
