import { build } from 'vite';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Vitest globalSetup for the integration project: builds the page once, as `npm start` would. */
export default async function setup(): Promise<void> {
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'error' });
}
