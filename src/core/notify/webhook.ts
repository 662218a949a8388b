/** Run-end webhook: POSTs one JSON message per run that finishes, fails, is stopped or lost, to the URL in Settings. */
import type { Run, RunStatus } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import { toast } from '../services/systemDomain.js';

const ENDED: readonly RunStatus[] = ['finished', 'failed', 'stopped', 'lost'];

export interface WebhookMessage {
  /** Plain text for chat tools that show `text` (Slack, Mattermost, many self-hosted bots). */
  text: string;
  event: 'run.ended';
  run: Pick<Run, 'id' | 'name' | 'kind' | 'status' | 'exitCode' | 'gpuIndices' | 'startedAt' | 'endedAt'> & {
    failure: Run['failure'];
    lastLoss: number | null;
  };
}

export function webhookMessage(run: Run): WebhookMessage {
  const loss = run.progress?.lastLoss ?? null;
  const what = run.status === 'finished' ? 'finished' : run.status === 'failed' ? 'failed' : run.status;
  const detail = run.failure ? `: ${run.failure.message}` : loss != null ? ` (loss ${loss})` : '';
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
      failure: run.failure,
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
          toast(ctx, 'warning', 'Webhook refused the message', `${url} answered ${r.status} for run "${run.name}".`, run.id, {
            kind: 'webhook.refused',
            run: run.name,
            url,
            status: r.status,
          });
        }
      })
      .catch((e: unknown) => {
        const error = e instanceof Error ? e.message : String(e);
        toast(ctx, 'warning', 'Webhook not reached', `${url}: ${error} (run "${run.name}").`, run.id, { kind: 'webhook.unreachable', run: run.name, url, error });
      });
  });
}
