/** Window-wide file drop: an overlay while files are dragged in, and the import when they land anywhere but a GPU card (useLaneDrop imports and queues those). */
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/index.js';
import { importGathered } from './actions.js';
import { gatherDrop } from './importFiles.js';

/** Only drags from outside (files) raise the overlay; dragging a task or queue item inside the window does not. */
const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

export function FileDropOverlay(): React.JSX.Element | null {
  const t = useT();
  const [active, setActive] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // dragenter/leave fire for every child element; count them so the overlay does not flicker.
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setActive(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setActive(false);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser would open the file instead of handing it to us.
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = 0;
      setActive(false);
      // A lane took it (import and queue there): importing here too would add every task twice.
      if (e.defaultPrevented) return;
      e.preventDefault();
      setBusy(true);
      void gatherDrop(e.dataTransfer!)
        .then(importGathered)
        .finally(() => setBusy(false));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  if (!active && !busy) return null;
  return (
    <div className="file-drop-overlay" data-testid="file-drop-overlay" aria-live="polite">
      <div className="file-drop-box">
        {busy ? (
          t('board.import.reading')
        ) : (
          <>
            {t('board.import.dropHere')}
            <div className="muted small">{t('board.import.dropOnCard')}</div>
            <div className="muted small" data-testid="file-drop-limits">{t('board.import.limits')}</div>
          </>
        )}
      </div>
    </div>
  );
}
