/** A small popover menu of actions: the keyboard/menu equivalent of every drag (Enter/Space opens, arrows move, Esc closes). */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { placePopover } from './placePopover.js';

export interface MenuEntry {
  key: string;
  label: string;
  onSelect(): void;
  disabled?: boolean;
  /** Shown muted after the label (e.g. "busy", "2 selected"). */
  hint?: string;
  testId?: string;
}

interface Props {
  label: string;
  entries: MenuEntry[];
  testId?: string;
  className?: string;
  /** Accessible name when the visible label is an icon. */
  title?: string;
  /** Accessible name that adds to the visible label (it must contain it: what speech users say is what they see). */
  ariaLabel?: string;
}

export function Menu({ label, entries, testId, className = 'button', title, ariaLabel }: Props): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);

  // Placed before it paints and before its first item takes the focus (which would scroll a menu that runs past the
  // edge into view, taking the page away from under the user): at the bottom or left edge it opens the other way.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => list.current && trigger.current && placePopover(list.current, trigger.current.getBoundingClientRect());
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    // Focus the first item so arrows and Enter work right away.
    root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not(:disabled)')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  /** Closes the menu with the focus back on its button (not lost on the body when the item goes away). */
  const close = () => {
    setOpen(false);
    trigger.current?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!open) return;
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      return;
    }
    // Tab leaves a menu (WAI-ARIA menu button): it closes, and the focus moves on from its button.
    if (e.key === 'Tab') {
      close();
      return;
    }
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    items[(next + items.length) % items.length]?.focus();
  };

  return (
    <div className="menu" ref={root} onKeyDown={onKeyDown}>
      <button
        ref={trigger}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        title={title}
        aria-label={ariaLabel ?? title}
        data-testid={testId}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
      >
        {label}
      </button>
      {open && (
        <div className="menu-list" role="menu" aria-label={ariaLabel ?? title ?? label} ref={list}>
          {entries.map((m) => (
            <button
              key={m.key}
              type="button"
              role="menuitem"
              disabled={m.disabled}
              data-testid={m.testId}
              onClick={(e) => {
                e.stopPropagation();
                // Before the action: a dialog it opens takes this button as the control to return focus to.
                close();
                m.onSelect();
              }}
            >
              {m.label}
              {m.hint && <span className="muted"> · {m.hint}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
