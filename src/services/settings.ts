import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file';

const settingsSchema = z.object({
  /** The dataset folder chosen in the app; absent means the bundled MNIST. */
  datasetDir: z.string().optional(),
  /** The UI language the renderer last chose (Electron's menu follows it). */
  locale: z.string().optional(),
  /** How many runs may train at once (LabService clamps it to 1..core count; default 1). */
  maxConcurrentRuns: z.number().optional(),
  /** The Redis URL whose lab workers train searches' trials (absent: the lab's own worker). */
  trialQueue: z.string().optional(),
});
export type Settings = z.output<typeof settingsSchema>;

/** The lab's settings, remembered across launches in one JSON file (atomic writes; a bad file means defaults). */
export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string) {
    this.current = SettingsStore.read(file);
  }

  private static read(file: string): Settings {
    try {
      return settingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      return {};
    }
  }

  get(): Settings {
    return { ...this.current };
  }

  update(change: Partial<Settings>): Settings {
    const next: Settings = { ...this.current, ...change };
    for (const key of Object.keys(next) as (keyof Settings)[]) if (next[key] === undefined) delete next[key];
    writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    this.current = next;
    return this.get();
  }

  static inFolder(folder: string): SettingsStore {
    return new SettingsStore(path.join(folder, 'settings.json'));
  }
}
