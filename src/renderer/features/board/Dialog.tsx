/** A modal dialog frame for the board's small forms (clone, sweep): Esc or the backdrop closes it, focus starts inside. */
import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/index.js';

interface Props {
  title: string;
  onClose(): void;
  children: React.ReactNode;
  footer: React.ReactNode;
  testId?: string;
}

export function Dialog({ title, onClose, children, footer, testId }: Props): React.JSX.Element {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input, textarea, select')?.focus();
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog panel"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        ref={box}
        data-testid={testId}
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <div className="dialog-head">
          <h2>{title}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')}>
            ×
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        <div className="dialog-foot">{footer}</div>
      </div>
    </div>
  );
}
