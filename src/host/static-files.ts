import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The same policy as the Electron window's: nothing but the lab's own files and its own WebSocket. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // KaTeX's fonts: files of the build, and the smallest one inlined by Vite as a data: URL.
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Longer request targets are refused (the renderer's own are well under 200 characters). */
export const MAX_URL_LENGTH = 2048;

/**
 * The file a request target names inside the renderer's folder, or null when the target is malformed:
 * too long, not a path, bad percent-encoding, a NUL or backslash, a `..` segment, or anything that
 * would resolve outside the folder. Never throws.
 */
export function staticFileFor(root: string, target: string): string | null {
  if (target.length > MAX_URL_LENGTH || !target.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.split(/[?#]/)[0]!);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(decoded) || decoded.split('/').some((segment) => segment === '..')) return null;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, relative);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/** Serves the built renderer (GET, or HEAD: the same headers, no body); never a file outside its folder. */
export async function serveStatic(root: string, target: string, response: ServerResponse, head = false): Promise<void> {
  const file = staticFileFor(root, target);
  if (file === null) {
    response.writeHead(400, { 'Content-Type': 'text/plain' }).end(head ? undefined : 'bad request');
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end(head ? undefined : 'not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  response.end(head ? undefined : body);
}
