/** Keyboard focus of a dialog or panel: it starts inside, Tab cycles inside (when modal), and it returns to the opener on close. */
import { useEffect, useState, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/** The elements Tab stops on inside `box`, in order (hidden ones left out). */
function tabStops(box: HTMLElement): HTMLElement[] {
  return [...box.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => e.getClientRects().length > 0);
}

/**
 * Call once in the component that renders the dialog. On mount it remembers what had the focus (the control that
 * opened it; a Menu hands focus back to its button before the action runs) and moves focus to `initial` (else the
 * first field, else the box); on unmount it gives the focus back to that control when it is still on the page.
 * Returns the key handler that keeps Tab inside a modal box.
 */
export function useDialogFocus(box: RefObject<HTMLElement | null>, initial?: () => HTMLElement | null | undefined): (e: React.KeyboardEvent) => void {
  // Read while rendering the first time, before an autoFocus inside the dialog takes the focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null));
  useEffect(() => {
    const el = box.current;
    if (el && !el.contains(document.activeElement)) (initial?.() ?? el.querySelector<HTMLElement>('input, textarea, select') ?? el).focus();
    return () => {
      // Focus left on the removed dialog falls to the body: a keyboard user would start over from the top.
      if (opener?.isConnected && (!document.activeElement || document.activeElement === document.body || el?.contains(document.activeElement))) opener.focus();
    };
    // Mount and unmount only: the opener is whoever had the focus when the dialog appeared.
  }, []);

  return (e) => {
    if (e.key !== 'Tab' || !box.current) return;
    const stops = tabStops(box.current);
    if (!stops.length) {
      e.preventDefault();
      return;
    }
    const first = stops[0]!;
    const last = stops.at(-1)!;
    const active = document.activeElement;
    const outside = !stops.includes(active as HTMLElement);
    if (e.shiftKey && (active === first || active === box.current || outside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || outside && active !== box.current)) {
      e.preventDefault();
      first.focus();
    }
  };
}
