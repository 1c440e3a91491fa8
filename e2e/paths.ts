import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project folder (the e2e files are ES modules: no __dirname). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
