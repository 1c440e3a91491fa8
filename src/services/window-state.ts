import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type ExperimentId, isExperimentId } from '../shared/experiments';
import { writeFileAtomic } from './atomic-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const rectSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
const stateSchema = z.object({
  bounds: rectSchema.optional(),
  maximized: z.boolean().optional(),
  fullScreen: z.boolean().optional(),
  lastExperiment: z.string().optional(),
});

/** Where the window was and what it showed when the lab last closed. */
export interface WindowState {
  /** Absent on a first launch, or when the saved place is on no screen now: the window is centred. */
  bounds?: Rect;
  maximized: boolean;
  fullScreen: boolean;
  lastExperiment?: ExperimentId;
}

/** At least this much of the window's top edge must lie on a screen for the saved place to be used. */
const MIN_VISIBLE = { width: 120, height: 40 };

/**
 * The window's size, place and last experiment, remembered across launches in one JSON file (atomic
 * writes; a bad file means a first launch). A place on a screen that is gone (a monitor unplugged) is
 * dropped, and a size larger than the screen is shrunk to it.
 */
export class WindowStateStore {
  constructor(private readonly file: string) {}

  load(workAreas: readonly Rect[], minSize: { width: number; height: number }): WindowState {
    let saved: z.output<typeof stateSchema>;
    try {
      saved = stateSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      saved = {};
    }
    const lastExperiment =
      saved.lastExperiment && isExperimentId(saved.lastExperiment) ? saved.lastExperiment : undefined;
    return {
      bounds: saved.bounds && placeOnScreen(saved.bounds, workAreas, minSize),
      maximized: saved.maximized ?? false,
      fullScreen: saved.fullScreen ?? false,
      ...(lastExperiment ? { lastExperiment } : {}),
    };
  }

  save(state: WindowState): void {
    try {
      writeFileAtomic(this.file, JSON.stringify(state, null, 2));
    } catch {
      // Not remembering the window is no reason to fail closing it.
    }
  }
}

/** The saved bounds if their top edge shows on some screen (shrunk to fit it), else undefined. */
export function placeOnScreen(
  bounds: Rect,
  workAreas: readonly Rect[],
  minSize: { width: number; height: number },
): Rect | undefined {
  if (![bounds.x, bounds.y, bounds.width, bounds.height].every(Number.isFinite)) return undefined;
  const screen = workAreas.find((area) => {
    const visibleWidth = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const topEdgeInside = bounds.y >= area.y && bounds.y + MIN_VISIBLE.height <= area.y + area.height;
    return visibleWidth >= MIN_VISIBLE.width && topEdgeInside;
  });
  if (!screen) return undefined;
  const width = Math.round(Math.max(minSize.width, Math.min(bounds.width, screen.width)));
  const height = Math.round(Math.max(minSize.height, Math.min(bounds.height, screen.height)));
  return { x: Math.round(bounds.x), y: Math.round(bounds.y), width, height };
}

/** The experiment a renderer address shows (`…#/experiment/<id>?…`), if it shows one. */
export function experimentOfUrl(url: string): ExperimentId | undefined {
  const match = /#\/experiment\/([a-z0-9-]+)/.exec(url);
  return match && isExperimentId(match[1]!) ? match[1] : undefined;
}
