import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { excerpt, htmlToText, renderMarkdown } from './markdown.js';

const HOSTILE = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))',
  '[x](java\tscript:alert(1))', '[x](&#106;avascript:alert(1))', '![i](javascript:alert(1))', '![i](https://evil.example/x.png)',
  '<a href="javascript:alert(1)">a</a>', '[x](vbscript:msgbox)', '[x](data:text/html;base64,PHNjcmlwdD4=)', '<svg onload=alert(1)>',
  '"><script>', "'onmouseover='alert(1)", '[a](//evil.example)', '<iframe src=x>', '`<script>`', '    <script>', '\u0000', '\u2028',
  '# t', '| a | b |\n|---|---|\n| <b onclick=x> | 2 |', '* [x](javascript:void(0) "t")', '<https://ok.example>', 'javascript:alert(1)',
];

/** Attributes as the browser would read them, entities decoded. */
function attributes(html: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    for (const m of tag.matchAll(/\s([^\s=>/]+)(?:="([^"]*)")?/g)) {
      const value = (m[2] ?? '').replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
        .replace(/&#(\d+);?/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&').replace(/&colon;/gi, ':');
      out.push({ name: (m[1] ?? '').toLowerCase(), value });
    }
  }
  return out;
}

function assertSafe(html: string): void {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<(iframe|svg|object|embed|style)/i);
  for (const a of attributes(html)) {
    assert.ok(!a.name.startsWith('on'), `event handler attribute in ${html}`);
    if (a.name === 'href' || a.name === 'src') {
      const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      assert.ok(!/^(javascript|vbscript|data):/.test(v), `dangerous URL in ${html}`);
      assert.ok(!v.startsWith('//'), `protocol-relative URL in ${html}`);
    }
    if (a.name === 'src') assert.match(a.value, /^\/attachments\/\d+\//);
  }
}

describe('markdown rendering', () => {
  it('renders the usual Markdown', () => {
    const html = renderMarkdown('# 标题\n\n正文 **加粗** [链接](https://example.org/a)\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    assert.match(html, /<h2>标题<\/h2>/);
    assert.match(html, /<strong>加粗<\/strong>/);
    assert.match(html, /<a href="https:\/\/example.org\/a" rel="nofollow noopener">链接<\/a>/);
    assert.match(html, /<ul>\s*<li>一<\/li>/);
    assert.match(html, /<table>/);
  });

  it('keeps images from attachments and drops others', () => {
    assert.match(renderMarkdown('![图](/attachments/3/a.png)'), /<img src="\/attachments\/3\/a.png" alt="图" \/>/);
    assert.doesNotMatch(renderMarkdown('![图](https://evil.example/a.png)'), /<img/);
  });

  it('keeps relative and mailto links', () => {
    assert.match(renderMarkdown('[a](/news/1) [b](mailto:x@example.org)'), /href="\/news\/1".*href="mailto:x@example.org"/);
  });

  it('neutralises each known hostile input', () => {
    for (const s of HOSTILE) assertSafe(renderMarkdown(s));
    assert.doesNotMatch(renderMarkdown('[x](javascript:alert(1))'), /href=/);
  });

  it('never yields scripts, event handlers or javascript: URLs from arbitrary input', () => {
    const piece = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom(...HOSTILE), fc.constantFrom('[', ']', '(', ')', '<', '>', '"', "'", '!', '\n', ' ', ':', '&#', ';', 'on', '='));
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (parts) => assertSafe(renderMarkdown(parts.join('')))), { numRuns: 400 });
  });

  it('extracts text and cuts excerpts at characters', () => {
    assert.equal(htmlToText(renderMarkdown('# 一\n\n二 &amp; 三')), '一\n二 & 三');
    assert.equal(excerpt('养老服务很重要', 4), '养老服务…');
    assert.equal(excerpt('短', 4), '短');
  });
});
