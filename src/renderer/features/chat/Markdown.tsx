/** Model output as Markdown: raw HTML stays text (react-markdown's default), no remote images, links open outside the app only on click. */
import { memo, useState } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { useT } from '../../i18n/index.js';
import { desktop } from '../../platform/desktopBridge.js';

/** Opens a link of model output: the system browser on desktop, a new tab (no opener) in a browser; never this window. */
export function openLink(href: string | undefined): void {
  if (!href || !/^(https?:|mailto:)/i.test(href)) return;
  if (desktop) void desktop.openExternal(href);
  else window.open(href, '_blank', 'noopener,noreferrer');
}

function CodeBlock({ children }: { children?: React.ReactNode }): React.JSX.Element {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = () => {
    const text = extractText(children);
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  };
  return (
    <div className="chat-code">
      <button className="chat-code-copy" onClick={copy} type="button">
        {copied ? t('chat.copied') : t('chat.copy')}
      </button>
      <pre>{children}</pre>
    </div>
  );
}

/** The plain text of rendered children (for copying a code block). */
export function extractText(node: React.ReactNode): string {
  if (node == null || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(extractText).join('');
  if (typeof node === 'object' && 'props' in node) return extractText((node.props as { children?: React.ReactNode }).children);
  return '';
}

const components: Components = {
  a: ({ href, children }) => (
    <a
      href={href}
      rel="noopener noreferrer nofollow"
      onClick={(e) => {
        e.preventDefault();
        openLink(href);
      }}
    >
      {children}
    </a>
  ),
  // A remote image would be fetched just by rendering the answer (tracking, local-network probes): show its alt text.
  img: ({ alt }) => <span className="chat-img-alt">{alt ? `[${alt}]` : '[image]'}</span>,
  pre: ({ children }) => <CodeBlock>{children}</CodeBlock>,
};

export const Markdown = memo(function Markdown({ text }: { text: string }): React.JSX.Element {
  return (
    <div className="chat-md">
      <ReactMarkdown components={components}>{text}</ReactMarkdown>
    </div>
  );
});
