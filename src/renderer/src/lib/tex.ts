import katex from 'katex';
import 'katex/dist/katex.min.css';

const cache = new Map<string, string>();

/**
 * A TeX formula as KaTeX's HTML (its fonts and CSS are bundled with the renderer; nothing is fetched).
 * Errors are not hidden: a formula KaTeX cannot parse throws here, and the slot tests render every one.
 */
export function texToHtml(tex: string, display = true): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  let html = cache.get(key);
  if (html === undefined) {
    html = katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: 'error', output: 'html' });
    cache.set(key, html);
  }
  return html;
}
