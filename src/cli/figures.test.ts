import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lab } from './lab-process.test-helpers';
import { readPng } from '../engine/png.test-helpers';
import { upgradeRunRecord } from '../shared/record-upgrade';
import { type RunRecord, runRecordSchema } from '../shared/runs';
import { fonts, recordFigures, renderPng, renderSvg } from './figures';

/** `lab figures`: the app's chart definitions rendered headless (ECharts SVG, resvg PNG). */
const out = mkdtempSync(path.join(tmpdir(), 'dlfs-figures-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A short optimizers-mnist record: 4 optimizers × 40 iterations of a falling loss. */
function shortRecord(): RunRecord {
  const names = ['SGD', 'Momentum', 'AdaGrad', 'Adam'];
  return upgradeRunRecord({
    experiment: 'optimizers-mnist',
    params: { iterations: 40, optimizers: names.map((name) => ({ name, lr: 0.01 })) },
    seed: 1,
    backend: 'cpu',
    status: 'completed',
    startedAt: '2026-11-27T13:00:00.000Z',
    finishedAt: '2026-11-27T13:00:05.000Z',
    series: names.map((name, k) => ({
      name,
      metric: 'loss',
      x: Array.from({ length: 40 }, (_, i) => i),
      y: Array.from({ length: 40 }, (_, i) => 2.3 / (1 + (i * (k + 1)) / 10) + 0.05 * Math.sin(i)),
    })),
    summary: {},
  });
}

describe('headless figures', () => {
  it('finds a font to draw text with', () => {
    expect(fonts().family, 'install fonts-liberation or fonts-dejavu-core').toBeDefined();
  });

  it('renders the optimizers-mnist loss chart as an SVG with its title, curves and legend', () => {
    const [chart] = recordFigures(shortRecord());
    const svg = renderSvg(chart!);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(`width="${chart!.width}"`);
    expect(svg).toContain('Training loss');
    for (const name of ['SGD', 'Momentum', 'AdaGrad', 'Adam']) expect(svg).toContain(`>${name}<`);
    expect(svg).toContain('#1f77b4');
  });

  it('renders it as a PNG: signature, twice the chart size, on white with more than one colour', () => {
    const [chart] = recordFigures(shortRecord());
    const png = readPng(renderPng(chart!));
    expect(png.width).toBe(chart!.width * 2);
    expect(png.height).toBe(chart!.height * 2);
    expect(png.distinctColours).toBeGreaterThan(10);
  });
});

describe('lab figures', () => {
  it('--from DIR: writes the PNGs and the record of the experiments found there', () => {
    const from = path.join(out, 'records');
    mkdirSync(from);
    writeFileSync(path.join(from, 'optimizers-mnist.json'), JSON.stringify(shortRecord()));
    const target = path.join(out, 'figures');
    const result = lab('figures', '--from', from, '--out', target);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /optimizers-mnist: completed run read and drawn in [\d.]+ s; optimizers-mnist-loss\.png/,
    );
    expect(result.stdout).toContain('batch-norm: no ');
    expect(readdirSync(target).sort()).toEqual(['optimizers-mnist-loss.png', 'optimizers-mnist.json']);
    const png = readPng(readFileSync(path.join(target, 'optimizers-mnist-loss.png')));
    expect([png.width, png.height]).toEqual([1800, 840]);
  });

  it('runs an experiment with --set-<id> and renders its figures', () => {
    const target = path.join(out, 'run');
    const result = lab(
      'figures',
      '--only',
      'optimizer-paths',
      '--set-optimizer-paths',
      'steps=5',
      '--out',
      target,
      '--quiet',
    );
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/\d+%/); // --quiet: no progress
    expect(readdirSync(target).sort()).toEqual([
      'optimizer-paths-paths-overlay.png',
      'optimizer-paths-paths-panels.png',
      'optimizer-paths.json',
    ]);
    const record = runRecordSchema.parse(JSON.parse(readFileSync(path.join(target, 'optimizer-paths.json'), 'utf8')));
    expect(record.params.steps).toBe(5);
    expect(record.series.every((s) => s.x.length === 6)).toBe(true);
  });

  it('shows progress per experiment on stderr: "<id> i/n: 100% ..."', () => {
    const target = path.join(out, 'progress');
    const result = lab('figures', '--only', 'optimizer-paths', '--set-optimizer-paths', 'steps=5', '--out', target);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^optimizer-paths 1\/1: 100% 5\/5, \w+ elapsed, ETA 0s$/m);
    expect(result.stderr).not.toMatch(/error|failed|unknown|usage/i);
    expect(result.stdout).toMatch(/optimizer-paths: completed in/);
  });

  it('exits 2 on bad usage or a bad parameter', () => {
    expect(lab('figures').status).toBe(2);
    expect(lab('figures', '--out', out, '--only', 'nope').status).toBe(2);
    const bad = lab(
      'figures',
      '--out',
      path.join(out, 'bad'),
      '--only',
      'optimizer-paths',
      '--set-optimizer-paths',
      'steps=0',
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('steps');
  });
});
