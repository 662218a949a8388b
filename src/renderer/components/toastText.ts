/** Words a toast in the UI's language from its event; engine text (English) is the fallback for toasts without one. */
import type { Toast } from '../../shared/types/system.js';
import type { MessageKey, Translate } from '../i18n/index.js';

export function toastText(t: Translate, toast: Toast): { title: string; body: string } {
  const e = toast.event;
  switch (e?.kind) {
    case 'run.finished':
      return { title: t('toast.runFinished', { run: e.run }), body: e.loss != null ? t('toast.runFinishedLoss', { loss: e.loss }) : t('toast.runFinishedBody') };
    case 'run.failed':
      // The failure's kind in the user's language, then the log line that told us (it is the trainer's own text).
      return { title: t('toast.runFailed', { run: e.run }), body: `${t(`runs.failure.kind.${e.failureKind}` as MessageKey)}: ${e.message}` };
    case 'run.stopped':
      return { title: t('toast.runStopped', { run: e.run }), body: t('toast.runStoppedBody') };
    case 'webhook.refused':
      return { title: t('toast.webhookRefused'), body: t('toast.webhookRefusedBody', { url: e.url, status: e.status, run: e.run }) };
    case 'webhook.unreachable':
      return { title: t('toast.webhookUnreachable'), body: t('toast.webhookUnreachableBody', { url: e.url, error: e.error, run: e.run }) };
    default:
      return { title: toast.title, body: toast.body };
  }
}
