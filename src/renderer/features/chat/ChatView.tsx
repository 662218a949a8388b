/** The chat view (first version: header and empty state; the chat issue fills it). */
import { useT } from '../../i18n/index.js';

export function ChatView(): React.JSX.Element {
  const t = useT();
  return (
    <div data-testid="chat-view">
      <h1 className="page-title">{t('chat.title')}</h1>
      <div className="empty">{t('chat.none')}</div>
    </div>
  );
}
