/** One answer from a target's server, forwarded as chat.delta events: waits for the server, streams, tells a crash from an error. */
import { isActiveStatus } from '../../shared/domain/runState.js';
import type { AnswerStats, ChatTarget, GenParams, MessageStatus } from '../../shared/types/chat.js';
import type { CoreContext } from '../context.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import type { ServerPool } from './serverPool.js';
import { streamChat, type WireMessage } from './streamChat.js';

export interface AnswerOutcome {
  status: MessageStatus;
  content: string;
  finishReason: string | null;
  stats: AnswerStats | null;
  error: string | null;
  restartable: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Answerer {
  private streams = new Map<string, AbortController>();

  constructor(
    private ctx: CoreContext,
    private pool: ServerPool,
    private runs: RunSupervisor,
  ) {}

  /** Aborts a streaming answer (or one still waiting for its server); false when there is none. */
  stop(messageId: string): boolean {
    const c = this.streams.get(messageId);
    c?.abort();
    return !!c;
  }

  /** Engine shutdown: abort every stream (their partial text is saved as 'stopped'). */
  stopAll(): void {
    for (const c of this.streams.values()) c.abort();
  }

  isStreaming(messageId: string): boolean {
    return this.streams.has(messageId);
  }

  /**
   * Streams into events keyed by (eventId, messageId); eventId is the conversation (or prompt run) the UI listens to.
   * `onText` sees the content so far (callers persist it now and then, so an engine crash loses little).
   */
  async answer(opts: {
    target: ChatTarget;
    messages: WireMessage[];
    params: GenParams;
    eventId: string;
    messageId: string;
    onText?: (content: string) => void;
  }): Promise<AnswerOutcome> {
    const ctl = new AbortController();
    this.streams.set(opts.messageId, ctl);
    try {
      const out = await this.run(opts, ctl.signal);
      this.ctx.bus.emit('chat.delta', { conversationId: opts.eventId, messageId: opts.messageId, done: out });
      return out;
    } finally {
      this.streams.delete(opts.messageId);
      this.pool.touch(opts.target);
    }
  }

  private async run(
    opts: { target: ChatTarget; messages: WireMessage[]; params: GenParams; eventId: string; messageId: string; onText?: (c: string) => void },
    signal: AbortSignal,
  ): Promise<AnswerOutcome> {
    const fail = (error: string, restartable: boolean, content = '', stats: AnswerStats | null = null): AnswerOutcome => ({
      status: 'error',
      content,
      finishReason: null,
      stats,
      error,
      restartable,
    });
    let server;
    try {
      server = await Promise.race([
        this.pool.ready(opts.target),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
      ]);
    } catch (e) {
      if (signal.aborted) return { status: 'stopped', content: '', finishReason: null, stats: null, error: null, restartable: false };
      return fail(e instanceof Error ? e.message : String(e), true);
    }
    let content = '';
    const r = await streamChat(server, opts.messages, opts.params, signal, (text) => {
      content += text;
      this.ctx.bus.emit('chat.delta', { conversationId: opts.eventId, messageId: opts.messageId, text });
      opts.onText?.(content);
    });
    if (r.outcome !== 'error') {
      return { status: r.outcome, content: r.content, finishReason: r.finishReason, stats: r.stats, error: null, restartable: false };
    }
    // A broken stream is a crash when the server process is gone: give the supervisor a moment to see the exit.
    for (let i = 0; i < 30; i++) {
      const run = this.runs.get(server.id);
      if (!run || !isActiveStatus(run.status)) {
        const why = run?.failure?.message.text ?? (run ? `exit code ${run.exitCode ?? '?'}${run.signal ? `, ${run.signal}` : ''}` : 'gone');
        return fail(`The inference server stopped mid-answer (${why}). Restart it and regenerate.`, true, r.content, r.stats);
      }
      await sleep(100);
    }
    return fail(r.error ?? 'The answer failed.', false, r.content, r.stats);
  }
}
