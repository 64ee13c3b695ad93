import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

/** Folders the page loads at run time straight from the repo (the kiosk server serves the same paths). */
export const RUNTIME_FOLDERS = ['models', 'show-configs'] as const;

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.png': 'image/png',
};

/** In `npm run dev`, serve models/ and show-configs/ like the kiosk server does, without copying them into dist. */
function runtimeFolders(): Plugin {
  return {
    name: 'sitter-runtime-folders',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        const folder = RUNTIME_FOLDERS.find((f) => path.startsWith(`/${f}/`));
        if (!folder) return next();
        const file = normalize(join(root, path));
        if (!file.startsWith(join(root, folder)) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
        createReadStream(file).pipe(res);
      });
    },
  };
}

/**
 * In `npm run dev`, an edited show file is sent to the page (event "sitter:show"), which applies it without a
 * reload, so the walk keeps its place. A broken edit is refused on the page with its errors; the show goes on.
 */
function showHotReload(): Plugin {
  return {
    name: 'sitter-show-hot-reload',
    configureServer(server) {
      const dir = join(root, 'show-configs');
      server.watcher.add(dir);
      server.watcher.on('change', (file) => {
        if (!file.startsWith(dir) || extname(file) !== '.json') return;
        const name = file.slice(dir.length + 1, -'.json'.length);
        server.ws.send({ type: 'custom', event: 'sitter:show', data: { name } });
      });
    },
  };
}

export default defineConfig({
  root: resolve(root, 'src/app'),
  publicDir: false,
  plugins: [runtimeFolders(), showHotReload()],
  server: { fs: { allow: [root] } },
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    // tfjs and MediaPipe are large by nature; the kiosk loads them once from disk.
    chunkSizeWarningLimit: 4000,
  },
});
