import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { parseRequestTarget } from '../net/request-target.ts';
import type { Logger } from './log.ts';
import type { StateStore } from './state-store.ts';
import { parseVitals, type PageVitals } from './vitals.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.task': 'application/octet-stream',
  '.data': 'application/octet-stream',
};

/** Offline by design, stated again as a header so it holds whatever the page's own meta says. */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; worker-src 'self' blob:; " +
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:* http://localhost:* http://127.0.0.1:*";

export interface KioskServerOptions {
  /** Built app (vite build output). */
  readonly distDir: string;
  /** Repo root: models/ and show-configs/ are served from here. */
  readonly rootDir: string;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly host?: string;
  readonly port?: number;
  /** Sent to the page at GET /api/config: which show to run, where the OSC bridge listens. */
  readonly pageConfig: () => Record<string, unknown>;
  /** The running show's file, served at /api/show (read on each request, so a reload sees the edited file). */
  readonly showFile?: string;
  /** Called with each heartbeat, for the watchdog. */
  readonly onHeartbeat?: (vitals: PageVitals, atMs: number) => void;
  readonly now?: () => number;
}

export interface KioskServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Latest vitals and when they came; null before the first heartbeat. */
  lastHeartbeat(): { vitals: PageVitals; atMs: number } | null;
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown) : null);
      } catch {
        reject(new Error('body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Serves a file under base, refusing anything that normalises outside it. */
function sendFile(res: ServerResponse, base: string, relative: string): boolean {
  const file = normalize(join(base, relative));
  if (file !== base && !file.startsWith(base.endsWith(sep) ? base : base + sep)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) return false;
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    // Built assets are content-hashed; models change only by redeploying.
    'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
  return true;
}

export async function startKioskServer(options: KioskServerOptions): Promise<KioskServer> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let heartbeat: { vitals: PageVitals; atMs: number } | null = null;
  const { logger, store } = options;

  const health = (): Record<string, unknown> => {
    const t = now();
    return {
      ok: heartbeat !== null && t - heartbeat.atMs < 5000,
      uptimeSeconds: Math.round((t - startedAt) / 1000),
      lastHeartbeatSecondsAgo: heartbeat ? Math.round((t - heartbeat.atMs) / 100) / 10 : null,
      page: heartbeat?.vitals ?? null,
      errorsLastHour: logger.recentErrors(t),
      serverHeapBytes: process.memoryUsage().heapUsed,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = parseRequestTarget(req);
    if (!target) return sendJson(res, 400, { error: 'malformed request target' });
    const { path } = target;
    if (path === '/health') return sendJson(res, 200, health());
    if (path === '/api/config' && req.method === 'GET') return sendJson(res, 200, options.pageConfig());
    if (path === '/api/show' && req.method === 'GET' && options.showFile) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(readFileSync(options.showFile));
      return;
    }
    if (path === '/api/heartbeat' && req.method === 'POST') {
      const vitals = parseVitals(await readBody(req));
      heartbeat = { vitals, atMs: now() };
      options.onHeartbeat?.(vitals, heartbeat.atMs);
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/api/log' && req.method === 'POST') {
      const body = await readBody(req);
      const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
      const level = b.level === 'error' || b.level === 'warn' ? b.level : 'info';
      logger.log({ level, event: 'page', message: String(b.message ?? '').slice(0, 2000), detail: String(b.detail ?? '').slice(0, 4000) });
      return sendJson(res, 200, { ok: true });
    }
    const stateMatch = /^\/api\/state\/([^/]+)$/.exec(path);
    if (stateMatch) {
      const show = stateMatch[1] as string;
      if (req.method === 'GET') return sendJson(res, 200, { state: store.read(show) });
      if (req.method === 'PUT') {
        store.write(show, await readBody(req));
        return sendJson(res, 200, { ok: true });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    for (const folder of ['models', 'show-configs']) {
      if (path.startsWith(`/${folder}/`) && sendFile(res, join(options.rootDir, folder), path.slice(folder.length + 2))) return;
    }
    if (sendFile(res, options.distDir, path === '/' ? 'index.html' : path.slice(1))) return;
    sendJson(res, 404, { error: `not found: ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      logger.warn('http-error', { path: req.url, message });
      if (!res.headersSent) sendJson(res, 400, { error: message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    server,
    port,
    url: `http://${host}:${port}/`,
    lastHeartbeat: () => heartbeat,
    health,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
