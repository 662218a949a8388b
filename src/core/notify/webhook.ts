/** Run-end webhook: POSTs one JSON message per run that finishes, fails, is stopped or lost, to the URL in Settings. */
import { msg } from '../../shared/messages/message.js';
import type { Run, RunStatus } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import { toast } from '../services/systemDomain.js';

const ENDED: readonly RunStatus[] = ['finished', 'failed', 'stopped', 'lost'];

export interface WebhookMessage {
  /** Plain text for chat tools that show `text` (Slack, Mattermost, many self-hosted bots). */
  text: string;
  event: 'run.ended';
  run: Pick<Run, 'id' | 'name' | 'kind' | 'status' | 'exitCode' | 'gpuIndices' | 'startedAt' | 'endedAt'> & {
    /** In English: chat tools show text as it is. */
    failure: { kind: NonNullable<Run['failure']>['kind']; message: string; suggestion: string } | null;
    lastLoss: number | null;
  };
}

export function webhookMessage(run: Run): WebhookMessage {
  const loss = run.progress?.lastLoss ?? null;
  const what = run.status === 'finished' ? 'finished' : run.status === 'failed' ? 'failed' : run.status;
  const detail = run.failure ? `: ${run.failure.message.text}` : loss != null ? ` (loss ${loss})` : '';
  return {
    text: `Trainyard: run "${run.name}" ${what}${detail}`,
    event: 'run.ended',
    run: {
      id: run.id,
      name: run.name,
      kind: run.kind,
      status: run.status,
      exitCode: run.exitCode,
      gpuIndices: run.gpuIndices,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      failure: run.failure ? { kind: run.failure.kind, message: run.failure.message.text, suggestion: run.failure.suggestion.text } : null,
      lastLoss: loss,
    },
  };
}

/** Follows runs.changed and sends the message once per run end; a failing hook says so in a toast and never throws. */
export function startRunWebhook(ctx: CoreContext, fetchImpl: typeof fetch = fetch): () => void {
  const lastStatus = new Map<string, RunStatus>();
  return ctx.bus.on('runs.changed', (run) => {
    const before = lastStatus.get(run.id);
    lastStatus.set(run.id, run.status);
    const url = ctx.settings().webhookUrl;
    // Inference servers end whenever a chat closes: not worth a message.
    if (!url || run.kind === 'api' || !ENDED.includes(run.status) || before === run.status || (before && ENDED.includes(before))) return;
    void fetchImpl(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(webhookMessage(run)),
      signal: AbortSignal.timeout(10_000),
    })
      .then((r) => {
        if (!r.ok) {
          toast(ctx, 'warning', msg('toast.webhookRefused'), msg('toast.webhookRefusedBody', { url, status: r.status, run: run.name }), run.id);
        }
      })
      .catch((e: unknown) => {
        const error = e instanceof Error ? e.message : String(e);
        toast(ctx, 'warning', msg('toast.webhookUnreachable'), msg('toast.webhookUnreachableBody', { url, error, run: run.name }), run.id);
      });
  });
}
