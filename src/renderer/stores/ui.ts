/** Navigation state (hash routes like #/runs/<id>) and transient UI state; no domain data here. */
import { create } from 'zustand';

export type View = 'board' | 'runs' | 'compare' | 'chat' | 'settings';
export const VIEWS: View[] = ['board', 'runs', 'compare', 'chat', 'settings'];

export interface Route {
  view: View;
  /** e.g. the run id in #/runs/<id>. */
  param: string | null;
}

export function parseHash(hash: string): Route {
  const [view, param] = hash.replace(/^#\/?/, '').split('/');
  return VIEWS.includes(view as View) ? { view: view as View, param: param ? decodeURIComponent(param) : null } : { view: 'board', param: null };
}

interface UiState {
  route: Route;
  navigate(view: View, param?: string | null): void;
}

export const useUi = create<UiState>((set) => ({
  route: typeof location !== 'undefined' ? parseHash(location.hash) : { view: 'board', param: null },
  navigate(view, param = null) {
    const hash = `#/${view}${param ? `/${encodeURIComponent(param)}` : ''}`;
    if (location.hash !== hash) history.pushState(null, '', hash);
    set({ route: { view, param } });
  },
}));

export function startRouteSync(): () => void {
  const onPop = () => useUi.setState({ route: parseHash(location.hash) });
  window.addEventListener('popstate', onPop);
  return () => window.removeEventListener('popstate', onPop);
}
