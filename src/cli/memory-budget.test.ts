import { describe, expect, it } from 'vitest';
import { lab } from './lab-process.test-helpers';

/** `lab run` with settings the backend cannot hold: refused before training, exit 2, with the estimate. */
describe('lab run over the memory budget', () => {
  it("the issue's batch-norm run exits 2 at once, naming its estimate and the parameters behind it", () => {
    const result = lab(
      'run',
      'batch-norm',
      '--set',
      'trainSize=60000',
      '--set',
      'batchSize=60000',
      '--set',
      `hidden=[${Array(16).fill(4096).join(',')}]`,
      '--set',
      'scales=64',
      '--quiet',
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('bad parameter for batch-norm:');
    expect(result.stderr).toMatch(/too large for memory: the run needs ≈ [\d.]+ [GT]iB/);
    expect(result.stderr).toContain('batchSize 60000, hidden 16 × 4096');
    expect(result.stdout).toBe('');
  });
});
