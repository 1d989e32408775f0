// DOM building without HTML strings: every piece of data becomes a text node or an
// attribute value, so labels, annotations and log lines can never become markup.

/** Only http(s) links, relative or absolute; anything else (javascript:, data:) is dropped. */
export function safeHref(url) {
  if (typeof url !== 'string' || url === '') return null;
  if (url.startsWith('#') || (url.startsWith('/') && !url.startsWith('//'))) return url;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * h('a', { href, className: 'x', onclick }, 'text', child) — props are set as
 * properties or attributes, children appended as nodes (strings become text).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') el.className = value;
    else if (key === 'href') {
      const href = safeHref(value);
      if (href) el.setAttribute('href', href);
    } else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the element's content with the given nodes. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function empty(text) {
  return h('div', { className: 'empty' }, text);
}
