/** Model output is untrusted: the chat's Markdown renders raw HTML as text, drops remote images and script links, keeps code blocks. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { extractText, Markdown } from '../../../src/renderer/features/chat/Markdown.js';

// .ts with createElement (not .tsx): the unit project only collects test/**/*.test.ts.
const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('chat Markdown', () => {
  it('renders an HTML payload in an answer as text, never as an element', () => {
    const html = render('Here: <img src=x onerror=alert(1)> and <script>alert(2)</script>\n\n<iframe src="https://evil"></iframe>');
    expect(html).not.toMatch(/<img|<script|<iframe/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('drops javascript: links and shows markdown images as their alt text', () => {
    const html = render('[click](javascript:alert(1)) ![tracker](https://example.com/p.png)');
    expect(html).not.toContain('javascript:');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('[tracker]');
  });

  it('keeps code blocks with a copy button and their exact text', () => {
    const html = render('```python\nprint("<b>hi</b>")\n```');
    expect(html).toContain('<pre><code class="language-python">print(&quot;&lt;b&gt;hi&lt;/b&gt;&quot;)\n</code></pre>');
    expect(html).toContain('chat-code-copy');
    expect(extractText(createElement('code', null, 'a', createElement('span', null, 'b')))).toBe('ab');
  });
});
