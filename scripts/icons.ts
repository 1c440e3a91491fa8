import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

/**
 * The app icon's PNGs, rasterised from resources/icon.svg by resvg: resources/icon.png (1024 px: the
 * window, and electron-builder's source for the macOS .icns and the Windows .ico) and
 * resources/icons/<size>x<size>.png (the Linux sizes the AppImage and .deb install). The PNGs are
 * committed; `npm run icons` writes them anew after the SVG changes, and scripts/icons.test.ts fails
 * while they differ from what the SVG gives.
 */
export const RESOURCES = path.join(import.meta.dirname, '..', 'resources');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;
export const MAIN_ICON_SIZE = 1024;

/** Every PNG the SVG gives, by its path under resources/. */
export function renderIcons(svg: string): Map<string, Buffer> {
  const render = (size: number) =>
    new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
  const icons = new Map<string, Buffer>([['icon.png', render(MAIN_ICON_SIZE)]]);
  for (const size of LINUX_SIZES) icons.set(`icons/${size}x${size}.png`, render(size));
  return icons;
}

export function readIconSvg(): string {
  return readFileSync(path.join(RESOURCES, 'icon.svg'), 'utf8');
}

function main(): void {
  for (const [name, png] of renderIcons(readIconSvg())) {
    const file = path.join(RESOURCES, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, png);
    console.log(`wrote resources/${name}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
