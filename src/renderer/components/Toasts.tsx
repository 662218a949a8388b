/** Toast stack in the corner: run finished / failed and other engine notices. */
import { useT } from '../i18n/index.js';
import { toastText } from './toastText.js';
import { useToasts } from '../stores/toasts.js';
import { useUi } from '../stores/ui.js';

export function Toasts(): React.JSX.Element {
  const t = useT();
  const { toasts, dismiss } = useToasts();
  const navigate = useUi((s) => s.navigate);
  return (
    <div className="toasts" aria-live="polite" aria-label={t('toast.title')}>
      {toasts.map((toast) => ({ toast, text: toastText(t, toast) })).map(({ toast, text }) => (
        <div key={toast.id} className={`toast toast-${toast.level}`} data-testid="toast">
          <button
            className="toast-body"
            onClick={() => toast.runId && navigate('runs', toast.runId)}
            disabled={!toast.runId}
          >
            <strong>{text.title}</strong>
            {text.body && <span>{text.body}</span>}
          </button>
          <button className="icon-button" onClick={() => dismiss(toast.id)} aria-label={t('common.dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
