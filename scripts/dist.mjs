// `npm run dist` (after `npm run build`): the installers for this platform with electron-builder
// (electron-builder.yml): Linux AppImage + .deb, Windows NSIS, macOS dmg, into dist/. electron-builder
// downloads what it packages from GitHub: Electron's zip for the target platform (unless the Electron
// binary `npm start` uses is there: it is passed as electronDist) and, on Linux, the AppImage and fpm
// tools. Where that network is not reachable this prints one paragraph saying what could not be
// downloaded and why, instead of electron-builder's stack trace, and exits 1.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..');

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const NETWORK_TEXT = new RegExp(
  [
    'getaddrinfo|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH',
    'socket hang up|fetch failed|dial tcp|no such host|network is unreachable|i/o timeout|connection refused',
    'proxyconnect|TLS handshake|status code (403|404|407|429|5\\d\\d)',
  ].join('|'),
  'i',
);

/** The Electron build this machine already has for its own platform (what `npm start` runs), if any. */
function localElectronDist() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const binary = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const version = readFileSync(path.join(dir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '');
    const wanted = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    return version === wanted && existsSync(path.join(dir, 'dist', binary)) ? path.join(dir, 'dist') : undefined;
  } catch {
    return undefined;
  }
}

/** Every message and code in an error and its causes (electron-builder wraps tool failures). */
function describeChain(error) {
  const parts = [];
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    parts.push(String(e.code ?? ''), String(e.message ?? e));
  }
  return parts.join('\n');
}

function failedUrl(error) {
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    const url = e.options?.url ?? e.url;
    if (url) return String(url);
  }
  return describeChain(error).match(/https?:\/\/[^\s"'`)]+/)?.[0];
}

function isNetworkFailure(error) {
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (NETWORK_CODES.has(e.code) || e.name === 'RequestError' || e.name === 'HTTPError') return true;
  }
  return NETWORK_TEXT.test(describeChain(error));
}

function whatFailed(url) {
  if (!url) return 'a download electron-builder needs (Electron for the target platform or its packaging tools)';
  const file = url.split('/').pop();
  if (/\/electron\/releases\//.test(url) || /^electron-v/.test(file ?? ''))
    return `Electron's build for the target platform (${file})`;
  if (/electron-builder-binaries/.test(url))
    return `electron-builder's packaging tool ${file} (AppImage, fpm, NSIS, ...)`;
  return file || url;
}

async function main() {
  if (!existsSync(path.join(ROOT, 'out', 'main', 'index.js'))) {
    console.error('dist: nothing to package: run `npm run build` first (npm run dist does).');
    return 1;
  }
  const platform = { linux: 'LINUX', win32: 'WINDOWS', darwin: 'MAC' }[process.platform];
  if (!platform) {
    console.error(`dist: electron-builder makes no installer on ${process.platform} (Linux, Windows and macOS only).`);
    return 1;
  }
  const builder = require('electron-builder');
  const electronDist = localElectronDist();
  const config = electronDist ? { electronDist } : undefined;
  try {
    const files = await builder.build({
      projectDir: ROOT,
      targets: builder.Platform[platform].createTarget(),
      publish: 'never',
      // Merged over electron-builder.yml, as the CLI's -c.electronDist would be.
      ...(config ? { config } : {}),
    });
    console.log(`dist: built ${files.map((file) => path.relative(ROOT, file)).join(', ')}`);
    return 0;
  } catch (error) {
    if (isNetworkFailure(error)) {
      const url = failedUrl(error);
      const reason = String(error?.message ?? error?.code ?? error).split('\n')[0];
      console.error(
        `\ndist: no installer was built. electron-builder had to download ${whatFailed(url)}` +
          `${url ? ` from ${url}` : ''} and could not (${reason}): this machine does not reach that server. ` +
          'Run `npm run dist` where github.com is reachable, or point ELECTRON_MIRROR (Electron) and ' +
          'ELECTRON_BUILDER_BINARIES_MIRROR (its tools) at a mirror you can reach; Electron itself is taken from ' +
          'node_modules/electron/dist when `npm start` has already downloaded it. The app runs without an ' +
          'installer: npm start (desktop) or npm run serve (browser).',
      );
      return 1;
    }
    console.error(`\ndist: electron-builder failed: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DEBUG) console.error(error);
    return 1;
  }
}

// Explicitly: electron-builder leaves handlers behind that would end the process with code 0.
process.exit(await main());
