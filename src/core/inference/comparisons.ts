/** Side by side: one prompt to 2–4 targets in parallel columns, blind mode (who is who hidden until the vote), votes per run. */
import { randomInt } from 'node:crypto';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { ChatMessage, ChatTarget, Comparison, ComparisonEntry, GenParams, VoteChoice, VoteStats } from '../../shared/types/chat.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import type { ChatRepo } from '../store/chatRepo.js';
import { newId } from '../util/ids.js';
import type { Conversations } from './conversations.js';

interface Stored extends ComparisonEntry {
  target: ChatTarget;
  runName: string;
}

/** What the UI may see: in blind mode, nothing about who answered until the vote is in. */
export function reveal(c: Comparison): Comparison {
  if (!c.blind || c.vote !== null) return c;
  return { ...c, entries: c.entries.map((e) => ({ ...e, target: null, runName: null })) };
}

export class Comparisons {
  constructor(
    private repo: ChatRepo,
    private conversations: Conversations,
    private runs: RunSupervisor,
  ) {}

  start(opts: { targets: ChatTarget[]; prompt: string; blind: boolean; system?: string; params?: GenParams }): {
    comparison: Comparison;
    done: Promise<ChatMessage[]>;
  } {
    const keys = new Set(opts.targets.map((t) => `${t.runId}\n${t.checkpoint ?? ''}`));
    if (keys.size !== opts.targets.length) throw new RpcError('bad_request', 'Pick each run or checkpoint only once.');
    const named = opts.targets.map((t) => {
      const run = this.runs.get(t.runId);
      if (!run) throw new RpcError('not_found', `No run ${t.runId}.`);
      return { target: t, runName: `${run.name}${t.checkpoint ? ` @ ${t.checkpoint}` : ''}` };
    });
    // Blind: shuffle so column A is not always the first pick (Fisher–Yates with a CSPRNG; order must not leak).
    if (opts.blind) {
      for (let i = named.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [named[i], named[j]] = [named[j]!, named[i]!];
      }
    }
    const id = newId('cmp');
    const dones: Promise<ChatMessage>[] = [];
    const entries: Stored[] = named.map((n, i) => {
      const conv = this.conversations.create({
        runId: n.target.runId,
        checkpoint: n.target.checkpoint,
        system: opts.system,
        params: opts.params,
        comparisonId: id,
        title: opts.prompt.slice(0, 60),
      });
      const sent = this.conversations.send(conv.id, opts.prompt);
      dones.push(sent.done);
      return { slot: String.fromCharCode(65 + i), conversationId: conv.id, messageId: sent.assistant.id, target: n.target, runName: n.runName };
    });
    const comparison: Comparison = { id, prompt: opts.prompt, blind: opts.blind, entries, vote: null, createdAt: Date.now() };
    this.repo.saveComparison(comparison);
    return { comparison: reveal(comparison), done: Promise.all(dones) };
  }

  vote(id: string, vote: VoteChoice): Comparison {
    const c = this.repo.comparison(id);
    if (!c) throw new RpcError('not_found', `No comparison ${id}.`);
    if (typeof vote === 'number' && vote >= c.entries.length) throw new RpcError('bad_request', `There is no column ${vote + 1}.`);
    const voted: Comparison = { ...c, vote };
    const outcomes = c.entries.map((e) => ({
      runId: e.target!.runId,
      checkpoint: e.target!.checkpoint,
      outcome: (vote === 'tie' ? 'tie' : typeof vote === 'number' && c.entries[vote] === e ? 'win' : 'loss') as 'win' | 'loss' | 'tie',
    }));
    this.repo.recordVote(voted, outcomes);
    return voted;
  }

  list(limit: number): Comparison[] {
    return this.repo.comparisons(limit).map(reveal);
  }

  /** Wins, losses and ties per run from the side-by-side votes. */
  votes(runIds?: string[]): VoteStats[] {
    return this.repo.votes(runIds);
  }
}
