// Electron's binary comes from outside the npm registry. npm's install scripts for the electron package
// are not run (package.json allowScripts), so that `npm install` never fails where that download is
// impossible; this script fetches the binary instead: after `npm install` (best effort) and before
// `npm start` / `npm run dev` (required). `node scripts/electron-binary.mjs --check` only reports.
// Electron's installer (install.js, @electron/get 5) needs Node >= 22.12; on an older Node it runs under
// Node 22 from the npm registry (`npm exec --package=node@22`), which is needed then only for the download.
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

/** Electron's own installer, under this Node when it is new enough, else under Node 22 from npm. */
function runInstaller(dir) {
  const options = { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] };
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return spawnSync(process.execPath, ['install.js'], options);
  const npmArgs = ['exec', '--yes', '--package=node@22', '--', 'node', 'install.js'];
  // Under an npm script, the npm that runs it; otherwise the npm on the PATH.
  const npmCli = process.env.npm_execpath;
  if (npmCli && /\.c?js$/.test(npmCli)) return spawnSync(process.execPath, [npmCli, ...npmArgs], options);
  return spawnSync('npm', npmArgs, { ...options, shell: process.platform === 'win32' });
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
  const result = runInstaller(dir);
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
