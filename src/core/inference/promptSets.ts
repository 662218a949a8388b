/** Saved "golden" prompt sets: JSONL import with line-numbered errors, and one-click runs of a set against a target. */
import { RpcError } from '../../shared/rpc/protocol.js';
import type { ChatTarget, GenParams, PromptItem, PromptRun, PromptSet } from '../../shared/types/chat.js';
import { DEFAULT_GEN_PARAMS } from '../../shared/types/chat.js';
import type { CoreContext } from '../context.js';
import type { ChatRepo } from '../store/chatRepo.js';
import { newId } from '../util/ids.js';
import type { Answerer } from './answer.js';

/** `{prompt, expected}` per line (expected optional; `response`/`output` accepted too); blank lines skipped. All or nothing. */
export function parsePromptJsonl(text: string): PromptItem[] {
  const items: PromptItem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new RpcError('bad_request', `Line ${i + 1} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new RpcError('bad_request', `Line ${i + 1} must be an object like {"prompt": "...", "expected": "..."}.`);
    const o = v as Record<string, unknown>;
    const prompt = o.prompt ?? o.instruction ?? o.question;
    if (typeof prompt !== 'string' || !prompt.trim()) throw new RpcError('bad_request', `Line ${i + 1} has no "prompt" text.`);
    const exp = o.expected ?? o.response ?? o.output ?? null;
    if (exp !== null && typeof exp !== 'string') throw new RpcError('bad_request', `Line ${i + 1}: "expected" must be text.`);
    items.push({ prompt, expected: exp && exp.trim() ? exp : null });
  });
  if (!items.length) throw new RpcError('bad_request', 'The file has no prompts.');
  if (items.length > 1000) throw new RpcError('bad_request', `The file has ${items.length} prompts; a set holds at most 1000.`);
  return items;
}

export const passes = (answer: string, expected: string | null): boolean | null =>
  expected === null ? null : answer.toLowerCase().includes(expected.toLowerCase());

export class PromptSets {
  constructor(
    private ctx: CoreContext,
    private repo: ChatRepo,
    private answerer: Answerer,
  ) {}

  list(): PromptSet[] {
    return this.repo.promptSets();
  }

  remove(id: string): void {
    this.repo.deletePromptSet(id);
  }

  /** Runs of one set, or the newest 200 of all sets. */
  runs(setId?: string): PromptRun[] {
    return this.repo.promptRuns(setId);
  }

  save(opts: { id?: string; name: string; prompts: PromptItem[] }): PromptSet {
    const existing = opts.id ? this.repo.promptSet(opts.id) : null;
    if (opts.id && !existing) throw new RpcError('not_found', `No prompt set ${opts.id}.`);
    const set: PromptSet = { id: existing?.id ?? newId('pset'), name: opts.name, prompts: opts.prompts, createdAt: existing?.createdAt ?? Date.now() };
    this.repo.savePromptSet(set);
    return set;
  }

  /** Starts the run and returns it; each answer streams as chat.delta (conversationId = run id), progress as chat.promptRun. */
  run(setId: string, target: ChatTarget, opts: { system?: string; params?: GenParams }): { run: PromptRun; done: Promise<PromptRun> } {
    const set = this.repo.promptSet(setId);
    if (!set) throw new RpcError('not_found', `No prompt set ${setId}.`);
    const run: PromptRun = {
      id: newId('prun'),
      setId,
      target,
      items: set.prompts.map((p) => ({ ...p, messageId: newId('msg'), answer: '', status: 'queued', pass: null, stats: null })),
      status: 'running',
      error: null,
      createdAt: Date.now(),
    };
    this.repo.savePromptRun(run);
    const snapshot = structuredClone(run);
    const publish = () => {
      this.repo.savePromptRun(run);
      this.ctx.bus.emit('chat.promptRun', structuredClone(run));
    };
    const done = (async () => {
      // One at a time: LLaMA-Factory's HF engine serves one generation at a time anyway (MAX_CONCURRENT=1).
      for (const item of run.items) {
        item.status = 'streaming';
        publish();
        const messages = [...(opts.system?.trim() ? [{ role: 'system' as const, content: opts.system }] : []), { role: 'user' as const, content: item.prompt }];
        const out = await this.answerer.answer({ target, messages, params: opts.params ?? DEFAULT_GEN_PARAMS, eventId: run.id, messageId: item.messageId });
        Object.assign(item, { answer: out.content, status: out.status, stats: out.stats, pass: out.status === 'done' ? passes(out.content, item.expected) : null });
        if (out.status === 'error' && out.restartable) {
          run.status = 'failed';
          run.error = out.error;
          for (const rest of run.items) if (rest.status === 'queued') rest.status = 'error';
          publish();
          return run;
        }
      }
      run.status = 'done';
      publish();
      return run;
    })();
    // A copy: the loop below mutates `run` while the caller serialises what it got.
    return { run: snapshot, done };
  }
}
