/**
 * Article bodies are Markdown, stored as written and rendered on output by
 * markdown-it with raw HTML disabled: a `<script>` (or any tag) in the
 * source comes out as escaped text, and its link validator refuses
 * `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs. Nothing
 * the author writes becomes markup we did not generate, so no separate
 * HTML sanitiser runs after it. The plain text (for search and snippets)
 * is read from the same parse.
 * @module
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** The body as HTML, safe to embed: raw HTML is escaped, unsafe links are not linked. */
export function renderMarkdown(body: string): string {
  return markdown.render(body);
}

/** The body's text without Markdown syntax: words for the index, sentences for snippets. */
export function plainText(body: string): string {
  const parts: string[] = [];
  for (const token of markdown.parse(body, {})) {
    if (token.type === 'inline') {
      for (const child of token.children ?? []) if (child.type === 'text' || child.type === 'code_inline') parts.push(child.content);
      parts.push('\n');
    } else if (token.type === 'fence' || token.type === 'code_block') {
      parts.push(token.content);
    }
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
