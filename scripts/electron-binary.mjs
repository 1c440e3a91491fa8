// Electron's binary comes from outside the npm registry. npm's install scripts for the electron package
// are not run (package.json allowScripts), so that `npm install` never fails where that download is
// impossible; this script fetches the binary instead: after `npm install` (best effort) and before
// `npm start` / `npm run dev` (required). `node scripts/electron-binary.mjs --check` only reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const mode = process.argv[2] ?? '--required';

function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

export function electronBinary() {
  const dir = electronDir();
  if (!dir) return undefined;
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

function main() {
  if (electronBinary()) return 0;
  if (mode === '--check') {
    console.log('Electron binary: not downloaded');
    return 1;
  }
  const dir = electronDir();
  if (!dir) {
    console.error('the electron package is not installed: run npm install');
    return 1;
  }
  console.log('Downloading the Electron binary (first use)...');
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status === 0 && electronBinary()) return 0;
  const reason =
    String(result.stderr ?? '')
      .split('\n')
      .find((line) => /Error/.test(line)) ?? `exit code ${result.status}`;
  const message = `Electron's binary could not be downloaded (${reason.trim()}).`;
  if (mode === '--best-effort') {
    console.log(`${message}\nThe lab still works in a browser: npm run serve. npm start will try the download again.`);
    return 0;
  }
  console.error(
    `${message}\nWithout it the desktop app cannot start here; run the lab in a browser instead: npm run serve`,
  );
  return 1;
}

process.exit(main());
