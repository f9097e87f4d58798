/**
 * Markdown of a défi rendered on the server with markdown-it (docs/dependencies.md): raw HTML disabled (shown as
 * text), links checked by markdown-it's validateLink (no javascript:, vbscript:, file:, data:), and then every tag that
 * Markdown does not produce removed from the output, with every attribute but href (http, https, mailto, relative) and
 * title: whatever the source says, the page gets only plain formatting.
 */
import MarkdownIt from 'markdown-it';
import { raw, type SafeHtml } from '../kernel/web/html.ts';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// A level-1 heading of a défi becomes level 2 (the page has its own h1); images are not allowed (alt text only).
md.renderer.rules.image = (tokens, idx) => md.utils.escapeHtml(tokens[idx]!.content);
md.core.ruler.push('shift_headings', (state) => {
  for (const t of state.tokens) {
    if ((t.type === 'heading_open' || t.type === 'heading_close') && t.tag === 'h1') t.tag = 'h2';
  }
});

const ALLOWED = new Set([
  'p',
  'br',
  'strong',
  'em',
  'ul',
  'ol',
  'li',
  'a',
  'code',
  'pre',
  'blockquote',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  's',
]);

/** Keeps the allowed tags (attributes: href with a safe scheme, title) and drops every other tag, keeping its text. */
export function sanitise(rendered: string): string {
  return rendered.replace(/<\/?([a-zA-Z0-9]+)([^>]*)>/g, (tag, name: string, attrs: string) => {
    const n = name.toLowerCase();
    if (!ALLOWED.has(n)) return '';
    if (tag.startsWith('</')) return `</${n}>`;
    if (n !== 'a') return `<${n}>`;
    const href = /\shref="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const ok = /^(https?:|mailto:|\/|#)/i.test(href) && !/^\/\//.test(href);
    return ok ? `<a href="${href}">` : '<a>';
  });
}

export function renderMarkdown(source: string): SafeHtml {
  // Trusted: markdown-it escaped every text (html: false) and sanitise kept only the tags above.
  return raw(sanitise(md.render(source)));
}
