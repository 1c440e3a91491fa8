import { describe, expect, it } from 'vitest';
import { type InkImage, MNIST_SIDE, centreOfMass, inkBox, inkFromRgba, prepareLikeMnist } from './mnist-prepare';

/** A drawing of `width` x `height` with round strokes of `radius` along the given segments (ink 1 inside). */
function strokes(width: number, height: number, radius: number, segments: [number, number, number, number][]) {
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [px, py] = [x + 0.5, y + 0.5];
      const near = segments.some(([ax, ay, bx, by]) => {
        const [dx, dy] = [bx - ax, by - ay];
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy)) <= radius;
      });
      if (near) ink[y * width + x] = 1;
    }
  return { width, height, ink } satisfies InkImage;
}

/** The bounding box of the values above `threshold`, as width and height. */
function extent(values: Float32Array, threshold: number): { width: number; height: number } {
  const box = inkBox({ width: MNIST_SIDE, height: MNIST_SIDE, ink: values.map((v) => (v > threshold ? v : 0)) })!;
  return { width: box.x1 - box.x0, height: box.y1 - box.y0 };
}

describe('a drawing prepared like MNIST', () => {
  // A "7" in the top left corner of a 280 x 280 pad: a bar, then a diagonal down to the left.
  const seven = strokes(280, 280, 10, [
    [30, 20, 150, 20],
    [150, 20, 60, 200],
  ]);

  it('scales the ink so that its longer side is 20 pixels, keeping its aspect ratio', () => {
    const box = inkBox(seven)!;
    const prepared = prepareLikeMnist(seven)!;
    expect(prepared).toHaveLength(MNIST_SIDE * MNIST_SIDE);
    // The box's edges are anti-aliased: at most a pixel more than 20 carries any ink.
    const inked = extent(prepared, 0);
    expect(Math.max(inked.width, inked.height)).toBeGreaterThanOrEqual(20);
    expect(Math.max(inked.width, inked.height)).toBeLessThanOrEqual(21);
    const solid = extent(prepared, 0.5);
    expect(solid.height).toBeGreaterThanOrEqual(19);
    const ratio = (box.x1 - box.x0) / (box.y1 - box.y0);
    expect(solid.width / solid.height).toBeCloseTo(ratio, 0);
  });

  it('puts the centre of mass of the ink at the centre (14, 14)', () => {
    const prepared = prepareLikeMnist(seven)!;
    const mass = centreOfMass(prepared, MNIST_SIDE)!;
    expect(Math.abs(mass.x - 14)).toBeLessThan(0.5);
    expect(Math.abs(mass.y - 14)).toBeLessThan(0.5);
  });

  it('gives values in [0, 1], the strongest ink 1', () => {
    const prepared = prepareLikeMnist(seven)!;
    expect(Math.min(...prepared)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...prepared)).toBe(1);
  });

  it('prepares a wide stroke (a dash) and a single dot too, centred', () => {
    const dash = prepareLikeMnist(strokes(100, 60, 3, [[10, 30, 90, 30]]))!;
    expect(extent(dash, 0.5).width).toBeGreaterThanOrEqual(19);
    const dot = prepareLikeMnist({
      width: 5,
      height: 5,
      ink: Float32Array.from({ length: 25 }, (_, i) => +(i === 7)),
    })!;
    expect(extent(dot, 0.5)).toEqual({ width: 20, height: 20 });
    for (const image of [dash, dot]) {
      const mass = centreOfMass(image, MNIST_SIDE)!;
      expect(Math.hypot(mass.x - 14, mass.y - 14)).toBeLessThan(0.5);
    }
  });

  it('gives null for a drawing without ink', () => {
    expect(prepareLikeMnist({ width: 10, height: 10, ink: new Float32Array(100) })).toBeNull();
  });

  it('reads the ink from a canvas drawn on a transparent background (its alpha)', () => {
    const rgba = new Uint8ClampedArray([0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 51, 255, 255, 255, 0]);
    expect([...inkFromRgba(rgba, 2, 2).ink]).toEqual([1, 0, 0.2, 0].map((v) => Math.fround(v)));
  });
});
