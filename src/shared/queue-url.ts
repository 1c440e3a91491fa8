/**
 * Why `url` cannot name the Redis a search's trials go to (null: it can): a `redis://HOST:PORT[/DB]`
 * or `rediss://` (TLS) URL. Shared by the command line's `--queue`, the app's setting and the engine.
 */
export function queueUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `a Redis URL such as redis://127.0.0.1:6379 is needed, got "${url}"`;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    return `a redis:// or rediss:// URL is needed, got "${url}"`;
  if (!parsed.hostname) return `the URL names no host: "${url}"`;
  return null;
}
