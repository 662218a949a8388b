/** Spot-check evaluation: sends each test prompt to the run's OpenAI-compatible server, streams, scores and times the answer. */
import type { SpotCheckItem, SpotCheckSummary } from '../../shared/types/compare.js';
import { publicSpotCheck, type CompareRepo } from '../store/compareRepo.js';
import { scoreAnswer } from './scoring.js';
import type { SpotCheckCase } from './spotCheckFile.js';

/** The one thing compare needs from the inference domain: a running server for a run (started if need be). */
export interface InferenceProvider {
  ensureServer(runId: string): Promise<{ baseURL: string; apiKey: string; model: string }>;
}

export interface StreamedAnswer {
  answer: string;
  ttftMs: number | null;
  totalMs: number;
  /** completion_tokens when the server reports usage, else the number of content chunks (LLaMA-Factory streams one per piece). */
  tokens: number;
}

/** How long a spot-check request may go without receiving a byte before that prompt fails. */
export const SPOT_CHECK_IDLE_MS = 120_000;

/** One streamed chat completion; `baseURL` is the OpenAI-style base ending in /v1. */
export async function streamAnswer(
  server: { baseURL: string; apiKey: string; model: string },
  prompt: string,
  maxTokens: number,
  signal?: AbortSignal,
  idleMs: number = SPOT_CHECK_IDLE_MS,
): Promise<StreamedAnswer> {
  const t0 = performance.now();
  // A stalled server (no headers, or no byte for idleMs) would hold the check forever: an idle timer, reset per chunk.
  const idle = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idle.abort(), idleMs);
  };
  const both = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  const stalled = () => new Error(`The server sent nothing for ${idleMs >= 1000 ? `${Math.round(idleMs / 1000)} s` : `${idleMs} ms`}; gave up on this prompt.`);
  arm();
  try {
    return await readAnswer(server, prompt, maxTokens, both, arm, t0);
  } catch (e) {
    if (idle.signal.aborted && !signal?.aborted) throw stalled();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function readAnswer(
  server: { baseURL: string; apiKey: string; model: string },
  prompt: string,
  maxTokens: number,
  signal: AbortSignal,
  onChunk: () => void,
  t0: number,
): Promise<StreamedAnswer> {
  const res = await fetch(`${server.baseURL.replace(/\/$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(server.apiKey ? { Authorization: `Bearer ${server.apiKey}` } : {}) },
    body: JSON.stringify({ model: server.model, messages: [{ role: 'user', content: prompt }], stream: true, max_tokens: maxTokens, temperature: 0 }),
    signal,
  });
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    throw new Error(`The server answered ${res.status}: ${text.slice(0, 300)}`);
  }
  let answer = '';
  let ttft: number | null = null;
  let chunks = 0;
  let usageTokens: number | null = null;
  let buf = '';
  const decoder = new TextDecoder();
  const onEvent = (data: string) => {
    if (data === '[DONE]') return;
    let o: { choices?: { delta?: { content?: string } }[]; usage?: { completion_tokens?: number } };
    try {
      o = JSON.parse(data) as typeof o;
    } catch {
      return;
    }
    const piece = o.choices?.[0]?.delta?.content;
    if (piece) {
      if (ttft === null) ttft = performance.now() - t0;
      answer += piece;
      chunks++;
    }
    if (typeof o.usage?.completion_tokens === 'number') usageTokens = o.usage.completion_tokens;
  };
  onChunk();
  for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
    onChunk();
    buf += decoder.decode(part, { stream: true });
    let nl: number;
    // SSE: lines "data: …"; LLaMA-Factory separates with "\n", others with "\r\n".
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      if (line.startsWith('data:')) onEvent(line.slice(5).trim());
    }
  }
  if (buf.startsWith('data:')) onEvent(buf.slice(5).trim());
  return { answer, ttftMs: ttft, totalMs: performance.now() - t0, tokens: usageTokens ?? chunks };
}

export interface SpotCheckJob {
  id: string;
  runId: string;
  file: string;
  cases: SpotCheckCase[];
  maxTokens: number;
  /** Per-prompt idle timeout (tests shorten it); SPOT_CHECK_IDLE_MS when absent. */
  idleMs?: number;
}

/** Runs the cases one by one (the HF engine serves one generation at a time); every answer is stored as it arrives. */
export async function runSpotCheck(
  job: SpotCheckJob,
  repo: CompareRepo,
  inference: InferenceProvider,
  onProgress: (s: SpotCheckSummary) => void,
  signal?: AbortSignal,
): Promise<void> {
  const progress = () => {
    const s = repo.spotCheck(job.id);
    if (s) onProgress(publicSpotCheck(s));
  };
  const stopped = () => {
    repo.updateSpotCheck(job.id, 'failed', 'Stopped.');
    progress();
  };
  let server;
  try {
    // Loading a server can take minutes: a cancel meanwhile ends the check at once.
    server = await untilAborted(inference.ensureServer(job.runId), signal);
  } catch (e) {
    if (signal?.aborted) return stopped();
    repo.updateSpotCheck(job.id, 'failed', `Could not start the chat server: ${(e as Error).message}`);
    return progress();
  }
  let failures = 0;
  for (let i = 0; i < job.cases.length; i++) {
    if (signal?.aborted) return stopped();
    const c = job.cases[i]!;
    let item: SpotCheckItem;
    try {
      const a = await streamAnswer(server, c.prompt, job.maxTokens, signal, job.idleMs);
      const sc = scoreAnswer(a.answer, c.expected);
      const genMs = a.ttftMs !== null ? a.totalMs - a.ttftMs : a.totalMs;
      item = {
        index: i,
        prompt: c.prompt,
        expected: c.expected,
        answer: a.answer,
        ...sc,
        ttftMs: a.ttftMs,
        totalMs: a.totalMs,
        tokens: a.tokens,
        // Decode speed after the first token, the figure people compare (prefill is in the TTFT).
        tokensPerSec: a.tokens > 1 && genMs > 0 ? ((a.tokens - 1) * 1000) / genMs : null,
        error: null,
      };
    } catch (e) {
      // A cancel mid-answer is not this prompt's failure.
      if (signal?.aborted) return stopped();
      failures++;
      item = { index: i, prompt: c.prompt, expected: c.expected, answer: null, exact: false, contains: false, rougeL: 0, ttftMs: null, totalMs: null, tokens: null, tokensPerSec: null, error: (e as Error).message };
    }
    repo.saveItem(job.id, item);
    repo.updateSpotCheck(job.id, 'running', null);
    progress();
  }
  const allFailed = failures === job.cases.length;
  repo.updateSpotCheck(job.id, allFailed ? 'failed' : 'finished', allFailed ? 'Every request failed; see the examples for the errors.' : null);
  progress();
}

/** The promise, or a rejection as soon as the signal aborts. */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Error('Stopped.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('Stopped.'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
