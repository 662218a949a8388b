/** A modal dialog frame for the board's small forms (clone, sweep): Esc or the backdrop closes it, focus starts and stays inside, and returns to the opener. */
import { useRef } from 'react';
import { useDialogFocus } from '../../components/useDialogFocus.js';
import { useT } from '../../i18n/index.js';

interface Props {
  title: string;
  onClose(): void;
  children: React.ReactNode;
  footer: React.ReactNode;
  testId?: string;
  /** A wide frame (the config editor). */
  wide?: boolean;
}

export function Dialog({ title, onClose, children, footer, testId, wide }: Props): React.JSX.Element {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  // The first field, else the dialog itself: focus must be inside for Esc and Tab to work from the keyboard.
  const trapTab = useDialogFocus(box);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className={`dialog panel${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        ref={box}
        tabIndex={-1}
        data-testid={testId}
        // An Esc the editor inside used (closing its completion list) is not for the dialog.
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !e.defaultPrevented) {
            // Not also the board's Escape (which clears the card selection).
            e.stopPropagation();
            onClose();
          }
          trapTab(e);
        }}
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
