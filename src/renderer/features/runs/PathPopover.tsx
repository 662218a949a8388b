/** Shows a path the browser cannot open (the engine's disk), with a copy button. */
import { useState } from 'react';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { copyText } from './clipboard.js';

export function PathPopover({ path, hint, onClose }: { path: string; hint: string; onClose(): void }): React.JSX.Element {
  const t = useT();
  const [state, setState] = useState<'idle' | 'copied' | string>('idle');
  return (
    <div className="popover" role="dialog" data-testid="path-popover" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <p className="muted">{hint}</p>
      <code className="mono path" data-testid="path-popover-path">{path}</code>
      <div className="popover-actions">
        <button
          className="button"
          autoFocus
          onClick={() => copyText(path).then(() => setState('copied'), (e) => setState(errorMessage(e)))}
        >
          {state === 'copied' ? t('common.copied') : t('common.copy')}
        </button>
        <button className="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {state !== 'idle' && state !== 'copied' && <p className="error-text">{t('runs.copyFailed', { error: state })}</p>}
    </div>
  );
}
