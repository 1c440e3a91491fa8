import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCES, readIconSvg, renderIcons } from './icons';

describe('the app icon', () => {
  it('has its committed PNGs as resources/icon.svg gives them (npm run icons writes them)', () => {
    const icons = renderIcons(readIconSvg());
    expect(icons.size).toBe(9);
    for (const [name, png] of icons) {
      const committed = readFileSync(path.join(RESOURCES, name));
      expect(committed.equals(png), `resources/${name} is out of date: npm run icons`).toBe(true);
    }
  });

  it('renders the same bytes every time', () => {
    const svg = readIconSvg();
    expect(renderIcons(svg).get('icons/32x32.png')!.equals(renderIcons(svg).get('icons/32x32.png')!)).toBe(true);
  });
});
