import { describe, expect, it } from 'vitest';
import { EXPERIMENTS, EXPERIMENT_IDS } from '../shared/experiments';
import { LOCALES } from '../shared/slots/slot';
import { chapterNotesHtml, escapeHtml } from './chapter-notes';

describe('chapterNotesHtml', () => {
  it('has every experiment with its book reference, formulas as MathML and claims, in both languages', () => {
    for (const locale of LOCALES) {
      const html = chapterNotesHtml(locale);
      expect(html).toContain(`<html lang="${locale}">`);
      for (const id of EXPERIMENT_IDS) {
        const slot = EXPERIMENTS[id];
        expect(html).toContain(`<section id="${id}">`);
        expect(html).toContain(slot.book.script);
        for (const claim of slot.claims) expect(html).toContain(escapeHtml(claim.text[locale]));
      }
      const formulas = EXPERIMENT_IDS.reduce((n, id) => n + EXPERIMENTS[id].concept.formulas.length, 0);
      expect(html.match(/<math /g)?.length).toBe(formulas);
      expect(html).not.toContain('katex-error');
    }
  });
});
