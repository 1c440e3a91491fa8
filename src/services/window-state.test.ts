import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WindowStateStore, experimentOfUrl, placeOnScreen } from './window-state';

const SCREEN = { x: 0, y: 0, width: 1920, height: 1040 };
const SECOND = { x: 1920, y: 0, width: 1280, height: 1000 };
const MIN = { width: 900, height: 600 };

describe('WindowStateStore', () => {
  let folder: string;
  let file: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'dlfs-window-'));
    file = path.join(folder, 'window-state.json');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('gives a first launch no place, and remembers size, place, maximized and the last experiment', () => {
    const store = new WindowStateStore(file);
    expect(store.load([SCREEN], MIN)).toEqual({ maximized: false, fullScreen: false });
    const bounds = { x: 100, y: 80, width: 1200, height: 800 };
    store.save({ bounds, maximized: true, fullScreen: false, lastExperiment: 'batch-norm' });
    expect(new WindowStateStore(file).load([SCREEN], MIN)).toEqual({
      bounds,
      maximized: true,
      fullScreen: false,
      lastExperiment: 'batch-norm',
    });
  });

  it('treats a garbage file or an unknown experiment as not remembered', () => {
    writeFileSync(file, '{"bounds": ');
    expect(new WindowStateStore(file).load([SCREEN], MIN)).toEqual({ maximized: false, fullScreen: false });
    writeFileSync(file, JSON.stringify({ lastExperiment: 'no-such-experiment', maximized: 'yes' }));
    expect(new WindowStateStore(file).load([SCREEN], MIN)).toEqual({ maximized: false, fullScreen: false });
  });
});

describe('placeOnScreen', () => {
  it('keeps a place on a screen that is still there, and drops one on a screen that is gone', () => {
    const onSecond = { x: 2000, y: 50, width: 1000, height: 700 };
    expect(placeOnScreen(onSecond, [SCREEN, SECOND], MIN)).toEqual(onSecond);
    expect(placeOnScreen(onSecond, [SCREEN], MIN)).toBeUndefined();
  });

  it('drops a place whose title bar is off screen, and shrinks a window larger than its screen', () => {
    expect(placeOnScreen({ x: 100, y: -500, width: 1000, height: 700 }, [SCREEN], MIN)).toBeUndefined();
    expect(placeOnScreen({ x: 10, y: 10, width: 4000, height: 3000 }, [SCREEN], MIN)).toEqual({
      x: 10,
      y: 10,
      width: 1920,
      height: 1040,
    });
    expect(placeOnScreen({ x: 10, y: 10, width: 300, height: 200 }, [SCREEN], MIN)).toEqual({
      x: 10,
      y: 10,
      width: 900,
      height: 600,
    });
    expect(placeOnScreen({ x: Number.NaN, y: 0, width: 10, height: 10 }, [SCREEN], MIN)).toBeUndefined();
  });
});

describe('experimentOfUrl', () => {
  it('reads the experiment from a renderer address', () => {
    expect(experimentOfUrl('file:///app/out/renderer/index.html#/experiment/dropout?epochs=3')).toBe('dropout');
    expect(experimentOfUrl('file:///app/out/renderer/index.html#/history')).toBeUndefined();
    expect(experimentOfUrl('file:///x/index.html#/experiment/nope')).toBeUndefined();
  });
});
