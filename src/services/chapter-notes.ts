import katex from 'katex';
import { EXPERIMENTS, EXPERIMENT_IDS } from '../shared/experiments';
import type { Locale } from '../shared/slots/slot';

const TEXT: Record<
  Locale,
  { title: string; intro: string; book: string; lookFor: string; claims: string; steps: string }
> = {
  en: {
    title: 'Deep Learning from Scratch, chapter 6: notes',
    intro:
      'Every experiment of the chapter as the lab runs it: where it is in the book, its formulas, what to look for in its figure and the claims the lab checks on every run.',
    book: 'Book',
    lookFor: 'What to look for',
    claims: 'What the book claims (checked on every run)',
    steps: 'Steps',
  },
  'zh-CN': {
    title: '《深度学习入门》第 6 章：笔记',
    intro: '本章的每个实验：在书中的位置、公式、图中应当观察什么，以及实验室在每次运行中检查的结论。',
    book: '书中位置',
    lookFor: '观察要点',
    claims: '书中的结论（每次运行都会检查）',
    steps: '步骤',
  },
};

/** Text as HTML shows it. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The chapter notes the Help menu opens: one self-contained HTML page written from the experiment slots
 * (titles, book references, concept formulas as MathML, what to look for, claims), so it always says
 * what the lab does. MathML needs no style sheet or font files: any browser shows it.
 */
export function chapterNotesHtml(locale: Locale): string {
  const words = TEXT[locale];
  const sections = EXPERIMENT_IDS.map((id) => {
    const slot = EXPERIMENTS[id];
    const formulas = slot.concept.formulas
      .map(
        (formula) =>
          `<figure>${katex.renderToString(formula.tex, { output: 'mathml', displayMode: true, throwOnError: false })}` +
          `<figcaption>${escapeHtml(formula.caption[locale])}</figcaption></figure>`,
      )
      .join('\n');
    const steps = slot.concept.steps?.length
      ? `<h3>${words.steps}</h3><ol>${slot.concept.steps.map((s) => `<li>${escapeHtml(s.text[locale])}</li>`).join('')}</ol>`
      : '';
    return [
      `<section id="${id}">`,
      `<h2>${escapeHtml(slot.text[locale].title)}</h2>`,
      `<p class="book">${words.book}: §${escapeHtml(slot.book.section)}, ${escapeHtml(slot.book.figure)}, <code>${escapeHtml(slot.book.script)}</code></p>`,
      `<p>${escapeHtml(slot.text[locale].summary)}</p>`,
      formulas,
      `<h3>${words.lookFor}</h3><p>${escapeHtml(slot.concept.lookFor[locale])}</p>`,
      steps,
      `<h3>${words.claims}</h3><ul>${slot.claims.map((c) => `<li>${escapeHtml(c.text[locale])}</li>`).join('')}</ul>`,
      `</section>`,
    ].join('\n');
  });
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(words.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 820px; margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1f2937; }
h2 { border-bottom: 1px solid #d1d5db; padding-bottom: .3rem; margin-top: 2.5rem; }
.book { color: #4b5563; font-size: .95rem; }
figure { margin: 1rem 0; } figcaption { color: #4b5563; font-size: .9rem; text-align: center; }
</style>
</head>
<body>
<h1>${escapeHtml(words.title)}</h1>
<p>${escapeHtml(words.intro)}</p>
<nav><ol>${EXPERIMENT_IDS.map((id) => `<li><a href="#${id}">${escapeHtml(EXPERIMENTS[id].text[locale].title)}</a></li>`).join('')}</ol></nav>
${sections.join('\n')}
</body>
</html>
`;
}
