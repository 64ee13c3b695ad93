import { readPageConfig } from './page-config.ts';
import { SitterApp } from './sitter-app.ts';
import { errorMessage } from '../core/error-message.ts';

/**
 * Entry point: read where we are (which show, where the desk bridge is), then hand over to the composition root.
 * Whatever fails is said on screen, never a blank page.
 */
const stage = document.getElementById('stage') as HTMLDivElement;

async function boot(): Promise<void> {
  const config = await readPageConfig(location);
  const app = new SitterApp(stage, config);
  await app.start();
}

boot().catch((e: unknown) => {
  const p = document.createElement('p');
  p.style.cssText = 'position:fixed;inset:auto 0 40% 0;text-align:center;font:20px system-ui,sans-serif;color:#e88';
  p.textContent = `Sitter could not start: ${errorMessage(e)}`;
  document.body.append(p);
});
