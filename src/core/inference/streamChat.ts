/** One streamed chat completion through the official openai client, with latency figures (time to first token, tokens/s, total). */
import OpenAI, { APIUserAbortError } from 'openai';
import type { AnswerStats, GenParams } from '../../shared/types/chat.js';

export interface Endpoint {
  baseURL: string;
  apiKey: string;
  model: string;
}

export interface WireMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamResult {
  content: string;
  finishReason: string | null;
  stats: AnswerStats;
  /** 'done' when the server finished, 'stopped' when we aborted, 'error' when the stream broke. */
  outcome: 'done' | 'stopped' | 'error';
  error: string | null;
}

const clients = new Map<string, OpenAI>();

/** One client per server (it keeps an HTTP agent); no retries: a retried stream would duplicate text already shown. */
export function clientFor(ep: Endpoint): OpenAI {
  const key = `${ep.baseURL}\n${ep.apiKey}`;
  let c = clients.get(key);
  if (!c) {
    c = new OpenAI({ baseURL: ep.baseURL, apiKey: ep.apiKey, maxRetries: 0, timeout: 10 * 60_000 });
    clients.set(key, c);
  }
  return c;
}

export function forgetClient(ep: { baseURL: string; apiKey: string }): void {
  clients.delete(`${ep.baseURL}\n${ep.apiKey}`);
}

export function computeStats(startedAt: number, firstAt: number | null, endAt: number, pieces: number): AnswerStats {
  const gen = firstAt !== null ? (endAt - firstAt) / 1000 : 0;
  return {
    ttftMs: firstAt !== null ? firstAt - startedAt : null,
    // The first piece marks the end of prefill; the rate of the ones after it is the decode speed.
    tokensPerSec: pieces > 1 && gen > 0 ? (pieces - 1) / gen : null,
    totalMs: endAt - startedAt,
    completionTokens: pieces,
  };
}

/** Streams one answer; `onText` gets each non-empty piece. Never throws: failures come back as outcome 'error'. */
export async function streamChat(
  ep: Endpoint,
  messages: WireMessage[],
  params: GenParams,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<StreamResult> {
  const startedAt = performance.now();
  let firstAt: number | null = null;
  let pieces = 0;
  let content = '';
  let finishReason: string | null = null;
  const done = (outcome: StreamResult['outcome'], error: string | null): StreamResult => ({
    content,
    finishReason,
    stats: computeStats(startedAt, firstAt, performance.now(), pieces),
    outcome,
    error,
  });
  try {
    const stream = await clientFor(ep).chat.completions.create(
      { model: ep.model, messages, stream: true, temperature: params.temperature, top_p: params.topP, max_tokens: params.maxTokens },
      { signal },
    );
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      const piece = choice.delta?.content;
      if (piece) {
        if (firstAt === null) firstAt = performance.now();
        pieces++;
        content += piece;
        onText(piece);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    // A stream that ends without a finish reason was cut (the server died between chunks).
    if (finishReason === null && !signal.aborted) return done('error', 'The answer was cut off: the server closed the stream before finishing.');
    return done(signal.aborted ? 'stopped' : 'done', null);
  } catch (e) {
    if (signal.aborted || e instanceof APIUserAbortError) return done('stopped', null);
    return done('error', describe(e));
  }
}

function describe(e: unknown): string {
  if (e instanceof OpenAI.APIError && e.status) {
    const detail = (e.error as { detail?: unknown } | undefined)?.detail;
    return `The server answered ${e.status}: ${typeof detail === 'string' ? detail : e.message}`;
  }
  if (e instanceof OpenAI.APIConnectionError) return `Lost the connection to the inference server (${e.cause instanceof Error ? e.cause.message : e.message}).`;
  return e instanceof Error ? e.message : String(e);
}
