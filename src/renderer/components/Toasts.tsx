/** Toast stack in the corner: run finished / failed and other engine notices. */
import { useSay, useT } from '../i18n/index.js';
import { useToasts } from '../stores/toasts.js';
import { useUi } from '../stores/ui.js';

export function Toasts(): React.JSX.Element {
  const t = useT();
  const say = useSay();
  const { toasts, dismiss, side } = useToasts();
  const navigate = useUi((s) => s.navigate);
  return (
    <div className={`toasts toasts-${side}`} role="region" aria-live="polite" aria-label={t('toast.title')} data-side={side}>
      {toasts.map((toast) => ({ toast, text: { title: say(toast.title), body: say(toast.body) } })).map(({ toast, text }) => (
        <div key={toast.id} className={`toast toast-${toast.level}`} data-testid="toast" data-level={toast.level} role={toast.level === 'error' ? 'alert' : 'status'}>
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
