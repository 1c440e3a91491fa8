// `npm run audit:electron`: Doyensec's electronegativity over the source (src/: TypeScript, the renderer's
// index.html with its CSP), checked as the Electron version installed. Prints every finding with its
// severity and confidence, the counts by severity, and fails on any HIGH (or CRITICAL) finding or on a
// file it could not parse (an unparsed file would be an unchecked one).
// Left out: AvailableSecurityFixesGlobalCheck, which asks GitHub for Electron's release list (no network
// in CI; `npm outdated electron` says the same). electronegativity also tries to fetch translations
// for the current locale (1 s timeout); its "could not retrieve" line is dropped.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '..');
const FAILING = new Set(['HIGH', 'CRITICAL']);
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

/** @typedef {{ name: string }} Level */
/**
 * @typedef {{ id: string, file: string, location: { line: number, column: number }, severity: Level,
 *   confidence: Level, description: string, manualReview?: boolean }} Issue
 */

async function main() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  /** @typedef {{ file: string, message: string, tolerable: boolean }} ParseError */
  /** @type {(options: object) => Promise<{ issues: Issue[], errors: ParseError[] }>} */
  const run = require('@doyensec/electronegativity');
  const log = console.log;
  console.log = (...args) => {
    if (!String(args[0]).startsWith('Could not retrieve updated translations')) log(...args);
  };
  let result;
  try {
    result = await run({
      input: path.join(ROOT, 'src'),
      isRelative: true,
      electronVersionOverride: electronVersion,
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      customScan: [],
      parserPlugins: [],
    });
  } finally {
    console.log = log;
  }
  const { issues } = result;
  for (const issue of issues) {
    console.log(
      `${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}  src/${issue.file}:${issue.location.line}` +
        (issue.manualReview ? '  (review)' : ''),
    );
  }
  const counts = SEVERITIES.map(
    (name) => `${issues.filter((i) => i.severity.name === name).length} ${name.toLowerCase()}`,
  );
  console.log(`electronegativity (Electron ${electronVersion}) on src/: ${counts.join(', ')}`);
  const unparsed = result.errors.filter((error) => !error.tolerable);
  for (const error of unparsed) console.error(`could not check ${error.file}: ${error.message}`);
  const failing = issues.filter((issue) => FAILING.has(issue.severity.name));
  if (failing.length > 0) console.error(`${failing.length} finding(s) of high severity: fix them (see above).`);
  return failing.length > 0 || unparsed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
