/** A small popover menu of actions: the keyboard/menu equivalent of every drag (Enter/Space opens, arrows move, Esc closes). */
import { useEffect, useRef, useState } from 'react';

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
}

export function Menu({ label, entries, testId, className = 'button', title }: Props): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);

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

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
      root.current?.querySelector<HTMLButtonElement>('[aria-haspopup]')?.focus();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    items[(i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length]?.focus();
  };

  return (
    <div className="menu" ref={root} onKeyDown={onKeyDown}>
      <button
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        title={title}
        aria-label={title}
        data-testid={testId}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
      >
        {label}
      </button>
      {open && (
        <div className="menu-list" role="menu">
          {entries.map((m) => (
            <button
              key={m.key}
              type="button"
              role="menuitem"
              disabled={m.disabled}
              data-testid={m.testId}
              onClick={(e) => {
                e.stopPropagation();
                setOpen(false);
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
