import { h } from './dom.js';

// The analysis is Markdown written by an LLM or the offline writer. It is shown with
// the structure people expect (headings, lists, code) but built from text nodes only:
// no Markdown library, no HTML passes through.

function inline(text) {
  // `code` and **bold** only; everything else stays literal text.
  const parts = [];
  const re = /(`[^`]+`|\*\*[^*]+\*\*)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    const token = m[0];
    parts.push(token.startsWith('`') ? h('code', null, token.slice(1, -1)) : h('strong', null, token.slice(2, -2)));
    last = m.index + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function renderMarkdown(text) {
  const out = [];
  const lines = String(text ?? '').split('\n');
  let list = null;
  let code = null;
  for (const line of lines) {
    if (line.startsWith('```')) {
      if (code) {
        out.push(h('pre', null, code.join('\n')));
        code = null;
      } else code = [];
      continue;
    }
    if (code) {
      code.push(line);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      if (!list) {
        list = h('ul');
        out.push(list);
      }
      list.append(h('li', null, inline(item[1])));
      continue;
    }
    list = null;
    if (heading) out.push(h('h3', null, inline(heading[2])));
    else if (line.trim() !== '') out.push(h('p', null, inline(line)));
  }
  if (code) out.push(h('pre', null, code.join('\n')));
  return out;
}
