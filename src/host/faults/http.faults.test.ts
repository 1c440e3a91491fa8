import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignHostHeaders } from '../foreign-hosts.test-helpers';
import { MAX_URL_LENGTH } from '../static-files';
import {
  APP_JS,
  INDEX_HTML,
  SECRET,
  type TestHost,
  countCrashes,
  rawRequest,
  report,
  seeded,
  startTestHost,
} from './fault-helpers';

/**
 * The web host under a few thousand generated HTTP requests (seeded: the same ones every run): bad
 * paths and percent-encodings, traversal in every spelling, every method, bad or foreign Host
 * headers, huge URLs and headers, and raw malformed request lines. Each gets a status from its
 * expected set, nothing but the renderer's two files is ever served, and the host keeps answering.
 */
const crashes = countCrashes();
let t: TestHost;

beforeAll(async () => {
  t = await startTestHost('http');
});
afterAll(async () => {
  await t?.close();
});

interface Case {
  /** The raw bytes sent. */
  bytes: string | Buffer;
  /** Allowed statuses (0: the host closed the connection without an answer). */
  expect: number[];
  halfClose?: boolean;
  what: string;
}

/** GET/HEAD, a Host header, and 200 allowed only when the target may name one of the renderer's files. */
function httpCase(method: string, target: string, host: string | null, expected: number[], extra = ''): Case {
  const head = `${method} ${target} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}${extra}Connection: close\r\n\r\n`;
  return { bytes: head, expect: expected, what: `${method} ${target.slice(0, 100)} Host=${String(host)}` };
}

const SEGMENTS = ['', 'a', 'assets', 'index.html', 'app.js', 'x.js', 'secret.txt', 'renderer.txt', '.', '..', '...'];
const UP = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '%2E.', '..%00', '..%2f', '..%5c', '..\\', '%252e%252e'];
const SEPARATORS = ['/', '%2f', '%2F', '%5c', '%5C', '\\', '//', '/./', '%00/', '%252f'];
const BAD_ESCAPES = ['%', '%E0', '%A4%A', '%ff', '%C3', '%E0%A4', '%G0', '%%', '%0', '%C0%AF', '%ED%A0%80', '%FE%FF'];
const ODD_CHARS = [
  '%00',
  '%0a',
  '%0d',
  '%20',
  '%7f',
  '~',
  ';',
  '@',
  '!',
  '$',
  "'",
  '(',
  '*',
  ':',
  '+',
  '%2B',
  '%3F',
  '%23',
];
const METHODS = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'MKCOL', 'COPY', 'LOCK'];
const BAD_METHODS = ['G@T', 'get', 'GET\u0001', 'FOO', 'GETT', '', 'POST\t', 'G E T', '\u00ff\u00fe'];

function cases(port: number): Case[] {
  const r = seeded(11);
  const ok = `127.0.0.1:${port}`;
  const out: Case[] = [];
  const segs = (n: number, from: readonly string[]) => Array.from({ length: n }, () => r.pick(from));

  // 1. Random paths mixing good segments, odd characters and bad escapes: 200/400/404, never a secret.
  for (let i = 0; i < 600; i++) {
    const pieces = segs(1 + r.int(5), SEGMENTS);
    for (let k = r.int(3); k > 0; k--)
      pieces.splice(r.int(pieces.length + 1), 0, r.pick([...ODD_CHARS, ...BAD_ESCAPES]));
    const query = r.next() < 0.2 ? `?${r.pick(['x=1', 'a=%E0', '../../secret.txt', '%', ''])}` : '';
    const fragment = r.next() < 0.05 ? '#x' : '';
    out.push(httpCase(r.pick(['GET', 'HEAD']), `/${pieces.join('/')}${query}${fragment}`, ok, [200, 400, 404]));
  }
  // 2. Bad percent-encodings alone: always 400.
  for (let i = 0; i < 200; i++) {
    const pieces = segs(1 + r.int(3), ['a', 'assets', 'index.html']);
    pieces.splice(r.int(pieces.length + 1), 0, r.pick(BAD_ESCAPES));
    out.push(httpCase(r.pick(['GET', 'HEAD']), `/${pieces.join('/')}`, ok, [400]));
  }
  // 3. Traversal in every spelling: 400 or 404 (a spelling that stays inside), never the file beside.
  for (let i = 0; i < 500; i++) {
    const sep = r.pick(SEPARATORS);
    const prefix = r.pick(['/', '/assets/', '/./', '//', '/assets%2f', '/%2e/']);
    const target = `${prefix}${segs(1 + r.int(5), UP).join(sep)}${sep}${r.pick(['secret.txt', 'renderer.txt', 'state/settings.json', 'etc/passwd'])}`;
    out.push(httpCase(r.pick(['GET', 'HEAD']), target, ok, [400, 404]));
  }
  // 4. Every method on good and bad targets: 405 for a method Node knows, 400 for one it refuses.
  for (let i = 0; i < 150; i++) {
    // CONNECT: Node closes the connection (the host has no tunnel to offer).
    const method = r.pick(METHODS);
    const expected = method === 'CONNECT' ? [0] : [405, 400];
    out.push(httpCase(method, r.pick(['/', '/index.html', '/api', '/../secret.txt', '/%']), ok, expected));
  }
  for (let i = 0; i < 60; i++) out.push(httpCase(r.pick(BAD_METHODS), '/', ok, [400]));
  // 5. Host headers: only 127.0.0.1:PORT and localhost:PORT are served.
  const hosts = [...foreignHostHeaders(port), `127.0.0.1:0${port}`, `localhost.:${port}`, 'x'.repeat(300)];
  for (let i = 0; i < 200; i++) {
    out.push(
      httpCase('GET', r.pick(['/', '/index.html', '/assets/app.js', '/../secret.txt']), r.pick(hosts), [421, 400]),
    );
  }
  for (let i = 0; i < 20; i++) out.push(httpCase('GET', '/', null, [400]));
  // Two Host headers, ours first: refused (RFC 9112 3.2), not served under the first.
  for (let i = 0; i < 10; i++) out.push(httpCase('GET', '/', ok, [400], `Host: ${r.pick([ok, ...hosts])}\r\n`));
  // 6. Huge URLs (ours: 400 past MAX_URL_LENGTH; Node: 431 past its header limit) and huge headers.
  for (let i = 0; i < 40; i++) {
    const length = MAX_URL_LENGTH + 1 + r.int(14_000);
    out.push(httpCase('GET', `/${r.pick(['a', '%41', '../'])}`.padEnd(length, 'a'), ok, [400]));
  }
  for (let i = 0; i < 10; i++) {
    out.push(httpCase('GET', `/${'a'.repeat(20_000 + r.int(1_000_000))}`, ok, [431, 400, 0]));
  }
  for (let i = 0; i < 30; i++) {
    const size = r.pick([9_000, 17_000, 70_000, 500_000]);
    out.push(httpCase('GET', '/', ok, size < 16_000 ? [200] : [431, 0], `X-Big: ${'b'.repeat(size)}\r\n`));
  }
  for (let i = 0; i < 10; i++) {
    const many = Array.from({ length: 500 + r.int(3000) }, (_, k) => `X-H${k}: v\r\n`).join('');
    out.push(httpCase('GET', '/', ok, [200, 431, 0], many));
  }
  // 7. Raw malformed request lines and framing, half-closed after sending: 400 or a plain close.
  const raw: string[] = [
    'GET / HTTP/9.9\r\n\r\n',
    'GET /\r\n\r\n',
    'GET\r\n\r\n',
    ' / HTTP/1.1\r\n\r\n',
    'GET  / HTTP/1.1\r\n\r\n',
    'GET / HTTP/1.1\n\n',
    'GET / HTTP/1.1\r\nHost\r\n\r\n',
    'GET / HTTP/1.1\r\n: x\r\n\r\n',
    `GET / HTTP/1.1\r\nHost: ${ok}\r\nContent-Length: -1\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: ${ok}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    `GET / HTTP/1.1\r\nHost: ${ok}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    `GET / HTTP/1.1\r\nHost: ${ok}\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: ${ok}\r\nX\u0000: y\r\n\r\n`,
    `GET /\u0000 HTTP/1.1\r\nHost: ${ok}\r\n\r\n`,
    `GET /\u007f HTTP/1.1\r\nHost: ${ok}\r\n\r\n`,
    `GET / HTTP/1.1\r\nHost: ${ok}\r\n`,
    'GET / HTTP/1.1',
    '\r\n\r\n\r\n',
    'HTTP/1.1 200 OK\r\n\r\n',
    'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  ];
  // (A request line without a version is HTTP/0.9 to Node: no Host, so 421.)
  for (const bytes of raw) out.push({ bytes, expect: [400, 0, 421], halfClose: true, what: JSON.stringify(bytes) });
  for (let i = 0; i < 150; i++) {
    // Random bytes, or a request line with random bytes in it.
    const junk = Buffer.from(Array.from({ length: 1 + r.int(300) }, () => r.int(256)));
    const bytes =
      r.next() < 0.5
        ? junk
        : Buffer.concat([Buffer.from('GET /'), junk, Buffer.from(` HTTP/1.1\r\nHost: ${ok}\r\n\r\n`)]);
    out.push({ bytes, expect: [0, 400, 404, 421, 431], halfClose: true, what: `random bytes #${i}` });
  }
  // 8. Good requests mixed in: still served.
  for (let i = 0; i < 100; i++) {
    const target = r.pick(['/', '/index.html', '/assets/app.js', '/?x=%E0', '/assets/app.js#x']);
    out.push(httpCase(r.pick(['GET', 'HEAD']), target, r.pick([ok, `localhost:${port}`]), [200]));
  }
  // Shuffled, so that good and bad requests interleave.
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('the web host under generated HTTP requests', () => {
  it('answers every request with an expected status, never serves outside the renderer, keeps serving', async () => {
    const started = Date.now();
    const all = cases(t.port);
    expect(all.length).toBeGreaterThanOrEqual(2000);
    const statuses = new Map<number, number>();
    const wrong: string[] = [];
    let sent = 0;
    for (let i = 0; i < all.length; i += 32) {
      const batch = all.slice(i, i + 32);
      const answers = await Promise.all(batch.map((c) => rawRequest(t.port, c.bytes, { halfClose: c.halfClose })));
      sent += batch.length;
      answers.forEach((answer, j) => {
        const c = batch[j]!;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (!c.expect.includes(answer.status))
          wrong.push(`${c.what}: ${answer.status} (expected ${c.expect.join('/')})`);
        if (answer.text.includes(SECRET)) wrong.push(`${c.what}: served a file outside the renderer`);
        if (answer.status === 200) {
          const body = answer.text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
          if (body !== '' && body !== INDEX_HTML && body !== APP_JS)
            wrong.push(`${c.what}: served ${body.slice(0, 80)}`);
        }
      });
      // Alive and serving after every batch.
      if ((i / 32) % 8 === 0) {
        const probe = await rawRequest(
          t.port,
          `GET / HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\nConnection: close\r\n\r\n`,
        );
        sent++;
        if (probe.status !== 200) wrong.push(`after batch ${i / 32}: GET / gave ${probe.status}`);
      }
    }
    const good = await rawRequest(
      t.port,
      `GET /assets/app.js HTTP/1.1\r\nHost: localhost:${t.port}\r\nConnection: close\r\n\r\n`,
    );
    sent++;
    const took = Date.now() - started;
    const summary = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    console.log(`HTTP: ${sent} requests in ${took} ms, statuses`, summary);
    report('http', {
      requestsSent: sent,
      crashes: crashes.count(),
      notes: [`${sent} requests in ${(took / 1000).toFixed(1)} s; statuses ${JSON.stringify(summary)}`],
    });
    expect(wrong).toEqual([]);
    expect(good.status).toBe(200);
    expect(good.text).toContain(APP_JS);
    expect(crashes.errors).toEqual([]);
  });
});
