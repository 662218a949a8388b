/** Where a popover (a menu's list) opens beside its button so that it is seen whole: below or above, leftwards or rightwards. */

const GAP = 4;
const MARGIN = 8;

interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The part of the window where `el` can show: the window cut by every ancestor that clips (a scroll area clips too). */
export function visibleArea(el: HTMLElement): Area {
  const area = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const { overflowX, overflowY } = getComputedStyle(p);
    if (overflowX === 'visible' && overflowY === 'visible') continue;
    const r = p.getBoundingClientRect();
    area.left = Math.max(area.left, r.left);
    area.top = Math.max(area.top, r.top);
    area.right = Math.min(area.right, r.right);
    area.bottom = Math.min(area.bottom, r.bottom);
  }
  return area;
}

/**
 * Sets `el`'s absolute position (relative to its positioned parent, which wraps the button at `anchor`) from its
 * natural size and the area it can show in: below the button unless only above has room, aligned to the button's
 * right edge unless that runs out on the left, and limited (scrolling inside) where neither side has room for all.
 * Inside a scroll area, a menu past its edge would either be cut off or scroll the page away from the button.
 */
export function placePopover(el: HTMLElement, anchor: DOMRect, area: Area = visibleArea(el)): void {
  const s = el.style;
  // Measured where the stylesheet puts it; each side set below is paired with 'auto' on the other (both set, CSS keeps top/left).
  s.top = s.bottom = s.left = s.right = s.maxHeight = '';
  const { width, height } = el.getBoundingClientRect();
  const below = area.bottom - MARGIN - (anchor.bottom + GAP);
  const above = anchor.top - GAP - (area.top + MARGIN);
  if (height <= below || below >= above) {
    s.top = `calc(100% + ${GAP}px)`;
    s.bottom = 'auto';
    if (height > below) s.maxHeight = `${Math.max(0, below)}px`;
  } else {
    s.bottom = `calc(100% + ${GAP}px)`;
    s.top = 'auto';
    if (height > above) s.maxHeight = `${Math.max(0, above)}px`;
  }
  if (anchor.right - width >= area.left + MARGIN) {
    s.right = '0';
    s.left = 'auto';
  } else {
    // Leftwards it would be cut off: open rightwards, shifted back in where it is wider than the room there.
    s.left = `${Math.max(area.left + MARGIN - anchor.left, Math.min(0, area.right - MARGIN - anchor.left - width))}px`;
    s.right = 'auto';
  }
}
