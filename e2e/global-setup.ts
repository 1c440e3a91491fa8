import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { ROOT } from './paths';

/** Says up front which projects will really run, and why the electron one skips where it does. */
export default function globalSetup(config: FullConfig): void {
  const root = ROOT;
  const electronDir = path.join(root, 'node_modules', 'electron');
  let binary: string | undefined;
  try {
    binary = path.join(electronDir, 'dist', readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim());
  } catch {
    binary = undefined;
  }
  const projects = config.projects.map((p) => p.name).join(', ');
  console.log(`e2e projects: ${projects}`);
  if (binary && existsSync(binary)) console.log(`electron project: runs the built app with ${binary}`);
  else {
    console.log(
      'electron project: SKIPPED, Electron binary not found (node_modules/electron/dist). It is downloaded on first use from outside the npm registry, which this machine cannot reach; the web project runs the same specs against the same renderer, services and worker.',
    );
  }
}
