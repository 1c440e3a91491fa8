/**
 * `npm run bench -- --profile`: where the lab's training threads spend their time, from the ThreadProfile
 * lines src/engine/profile.ts appends (one per thread that trained members).
 */
import { existsSync, readFileSync } from 'node:fs';
import { type ThreadProfile, profileSplit } from '../src/engine/profile';

export function readThreadProfiles(file: string): ThreadProfile[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ThreadProfile);
}

/** Prints the split of each run's threads (runs side by side when there are several). */
export function printProfileSplit(workload: string, runs: ThreadProfile[][]): void {
  const splits = runs.map(profileSplit);
  const threads = runs.map((run) => run.length).join('/');
  console.log('');
  console.log(`${workload}: training threads' time (${threads} thread(s) a run; % of the threads' summed wall time)`);
  for (const run of runs) {
    const walls = run.map((thread) => `${(thread.wallMs / 1000).toFixed(2)} s (${thread.members.length} members)`);
    console.log(`  each thread's wall time: ${walls.join(', ')}`);
  }
  for (const [i, part] of splits[0]!.parts.entries()) {
    const shares = splits.map((split) => `${((100 * split.parts[i]!.ms) / split.wallMs).toFixed(1).padStart(5)} %`);
    const seconds = splits.map((split) => `${(split.parts[i]!.ms / 1000).toFixed(2).padStart(6)} s`);
    console.log(`  ${part.label.padEnd(52)} ${shares.join('  ')}  ${seconds.join('  ')}`);
  }
}
