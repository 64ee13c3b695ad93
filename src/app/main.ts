import { WebGLRenderer } from 'three';

/**
 * Composition root. Boots a full-screen canvas and a status line first, so a newcomer always sees what is
 * happening (loading, or what failed), never a blank page.
 */
const stage = document.getElementById('stage') as HTMLDivElement;
const status = document.createElement('div');
status.style.cssText = 'position:fixed;left:0;right:0;bottom:10%;text-align:center;font:20px system-ui,sans-serif;color:#ccc';
document.body.appendChild(status);

function say(text: string): void {
  status.textContent = text;
}

async function boot(): Promise<void> {
  say('Sitter — starting…');
  const renderer = new WebGLRenderer({ antialias: false });
  renderer.setPixelRatio(window.devicePixelRatio);
  renderer.setSize(window.innerWidth, window.innerHeight);
  renderer.setClearColor(0x101014);
  stage.appendChild(renderer.domElement);
  renderer.clear();
  const config = (await (await fetch('/api/config')).json()) as { show?: string };
  say(`Sitter — show "${config.show ?? '?'}" loaded; waiting for the generator`);
}

boot().catch((e: unknown) => say(`Sitter could not start: ${e instanceof Error ? e.message : String(e)}`));
