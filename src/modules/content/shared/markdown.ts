import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Markdown is rendered once, when an item is saved, and the stored HTML is what pages show.
// markdown-it never passes raw HTML through (html: false); sanitize-html is the second wall:
// an allow-list of tags and attributes, link schemes limited to http(s)/mailto/relative,
// and images only from the platform's own attachments.

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const ATTACHMENT_SRC = /^\/attachments\/\d+\/[^\s"'<>]+$/;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
    'em', 'strong', 's', 'del', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // The page title is the page's only h1; headings in a body start one level lower.
    h1: 'h2',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow noopener' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !ATTACHMENT_SRC.test(frame.attribs.src ?? ''),
};

/** Renders submitted Markdown to HTML that is safe to show as is. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(md.render(source), OPTIONS);
}

/** Plain text of rendered HTML, for search and excerpts. */
export function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|h[2-6]|li|tr|pre|blockquote)>/g, '$&\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim();
}

/** The first `max` characters of a text, cut at a character boundary, with an ellipsis. */
export function excerpt(text: string, max = 120): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}
