import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { FaultCounts } from './fault-helpers';

/**
 * The fault suite's closing summary: each file adds its counts (fault-helpers.ts, report) to a folder
 * made here; after the last file they are added up and printed.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-faults-summary-'));
  project.provide('faultSummaryDir', dir);
  const started = Date.now();
  return () => {
    const totals = { requestsSent: 0, messagesSent: 0, runsKilled: 0, filesBroken: 0, crashes: 0, pointsLost: 0 };
    const notes: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      const counts = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as FaultCounts;
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key] ?? 0;
      for (const note of counts.notes ?? []) notes.push(`  ${name.replace(/\.json$/, '')}: ${note}`);
    }
    rmSync(dir, { recursive: true, force: true });
    const lines = [
      '',
      `DLFS Lab fault suite summary (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  requests sent   ${totals.requestsSent}`,
      `  messages sent   ${totals.messagesSent}`,
      `  runs killed     ${totals.runsKilled}`,
      `  files broken    ${totals.filesBroken}`,
      `  crashes         ${totals.crashes}`,
      `  points lost     ${totals.pointsLost}`,
      ...notes,
      '',
    ];
    console.log(lines.join('\n'));
  };
}
