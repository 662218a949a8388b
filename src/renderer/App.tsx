/** The app frame: navigation, header with connection status, the current view, toasts, and the blocked screen. */
import { lazy, Suspense, useEffect } from 'react';
import { BlockedScreen } from './components/BlockedScreen.js';
import { ConnectionBadge } from './components/ConnectionBadge.js';
import { SKIP_TARGETS, SkipLinks } from './components/SkipLinks.js';
import { Toasts } from './components/Toasts.js';
import { BoardView } from './features/board/BoardView.js';
import { FileDropOverlay } from './features/board/FileDropOverlay.js';
import { useT, type MessageKey } from './i18n/index.js';
import { useSettings } from './stores/settings.js';
import { useUi, VIEWS, type View } from './stores/ui.js';

// The board is the first paint; the other views (terminal, charts, Markdown) load when first opened.
const RunsView = lazy(() => import('./features/runs/RunsView.js').then((m) => ({ default: m.RunsView })));
const CompareView = lazy(() => import('./features/compare/CompareView.js').then((m) => ({ default: m.CompareView })));
const ChatView = lazy(() => import('./features/chat/ChatView.js').then((m) => ({ default: m.ChatView })));
const SettingsView = lazy(() => import('./features/settings/SettingsView.js').then((m) => ({ default: m.SettingsView })));

const ICONS: Record<View, string> = { board: '▦', runs: '▶', compare: '⇆', chat: '✎', settings: '⚙' };

function useTheme(): void {
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: light)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (media.matches ? 'light' : 'dark') : theme;
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
}

function CurrentView({ view }: { view: View }): React.JSX.Element {
  switch (view) {
    case 'board':
      return <BoardView />;
    case 'runs':
      return <RunsView />;
    case 'compare':
      return <CompareView />;
    case 'chat':
      return <ChatView />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App(): React.JSX.Element {
  const t = useT();
  useTheme();
  const { route, navigate } = useUi();
  return (
    <div className="app">
      <SkipLinks view={route.view} />
      <nav className="sidebar" aria-label={t('nav.main')}>
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▤
          </span>
          {t('app.name')}
        </div>
        {VIEWS.map((v) => (
          <button
            key={v}
            className={`nav-item ${route.view === v ? 'active' : ''}`}
            onClick={() => navigate(v)}
            data-testid={`nav-${v}`}
            aria-current={route.view === v ? 'page' : undefined}
          >
            <span className="nav-icon" aria-hidden="true">
              {ICONS[v]}
            </span>
            {t(`nav.${v}` as MessageKey)}
          </button>
        ))}
        <div className="sidebar-foot">
          <ConnectionBadge />
        </div>
      </nav>
      <main className="content" id={SKIP_TARGETS.content} tabIndex={-1}>
        <Suspense fallback={<div className="empty muted">{t('common.loading')}</div>}>
          <CurrentView view={route.view} />
        </Suspense>
      </main>
      <Toasts />
      {/* Config files can be dropped on any view, not just the board. */}
      <FileDropOverlay />
      <BlockedScreen />
    </div>
  );
}
