import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { OriginPolicy } from '../net/origin-policy.ts';
import { describeTarget, guarded, parseRequestTarget, refuseUpgrade } from '../net/request-target.ts';
import { limitedWarn, type Logger } from './log.ts';
import { StateError, type StateStore } from './state-store.ts';
import type { RecordingStore } from './recording-store.ts';
import { parseVitals, type PageVitals } from './vitals.ts';
import { errorMessage } from '../../src/core/error-message.ts';

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

/**
 * Offline by design, stated again as a header so it holds whatever the page's own meta says; no other site may frame
 * the page (a framing page could click through it or read its pixels' timing).
 */
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; worker-src 'self' blob:; " +
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:* http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'";

/** On every response, JSON and errors included: no type sniffing, no framing. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
};

export interface KioskServerOptions {
  /** Built app (vite build output). */
  readonly distDir: string;
  /** Repo root: models/ and show-configs/ are served from here. */
  readonly rootDir: string;
  /** Folders searched for /models/… before the repo's own models/ (`npm start -- --models <dir>`). */
  readonly extraModelDirs?: readonly string[];
  readonly store: StateStore;
  /** Recordings of the show's inputs, saved by the page (POST /api/recordings/<name>); none: those paths answer 404. */
  readonly recordings?: RecordingStore;
  /** The recording to replay (`npm start -- --replay`), served at GET /api/replay: its text, or an error to report. */
  readonly replay?: () => { readonly name: string; readonly text: string } | { readonly name: string; readonly error: string };
  readonly logger: Logger;
  readonly host?: string;
  readonly port?: number;
  /** Sent to the page at GET /api/config: which show to run, where the OSC bridge listens. */
  readonly pageConfig: () => Record<string, unknown>;
  /** The running show's file, served at /api/show (read on each request, so a reload sees the edited file). */
  readonly showFile?: string;
  /** Called with each heartbeat, for the watchdog. */
  readonly onHeartbeat?: (vitals: PageVitals, atMs: number) => void;
  /** Host and Origin checks; default: this server's own origin only (plus non-browser clients). */
  readonly origins?: OriginPolicy;
  /** With the default policy: origins allowed besides the page's own (the show's osc.allowOrigins). */
  readonly allowOrigins?: readonly string[];
  /** Paths another listener (the OSC bridge) upgrades to WebSockets; an upgrade anywhere else is answered 400. */
  readonly upgradePaths?: readonly string[];
  /** More sections for /health (the OSC bridge's counters). */
  readonly healthExtra?: () => Record<string, unknown>;
  readonly now?: () => number;
}

export interface KioskServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** The Host/Origin policy in force, for the bridge to share. */
  readonly origins: OriginPolicy;
  /** Latest vitals and when they came; null before the first heartbeat. */
  lastHeartbeat(): { vitals: PageVitals; atMs: number } | null;
  health(): Record<string, unknown>;
  close(): Promise<void>;
}

export const MAX_BODY = 1024 * 1024;
/** After a 413, this much more is read and thrown away (so the client reads the answer), then the socket is cut. */
const MAX_DISCARD = 8 * MAX_BODY;

/** A refusal with its HTTP status, thrown from deep in a handler. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The media type of a request, without parameters ("application/json; charset=utf-8" → "application/json"). */
function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Reads a body of at most `limit` bytes; over it: 413 (and the rest is read and thrown away, up to a bound). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const discard = Math.max(MAX_DISCARD, limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > limit;
    if (over) reject(new HttpError(413, `body of ${declared} bytes is over the limit of ${limit}`));
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (over) {
        if (size > discard) req.destroy();
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        reject(new HttpError(413, `body is over the limit of ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function refuseType(expected: string, type: string): HttpError {
  return new HttpError(415, `expected Content-Type: ${expected}, got ${type === '' ? 'none' : JSON.stringify(type.slice(0, 100))}`);
}

/**
 * Reads a JSON body. Only `Content-Type: application/json`: a browser sends that cross-origin only after a CORS
 * preflight this server never grants, while text/plain and form bodies need none. Over MAX_BODY: 413.
 */
async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = mediaType(req);
  if (type !== 'application/json') throw refuseType('application/json', type);
  const body = await readBody(req, MAX_BODY);
  if (body.length === 0) return null;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

/** JSON lines need a preflight cross-origin, like JSON (neither is a "simple" type a form or text/plain could fake). */
const JSON_LINES_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json'];

async function readJsonLinesBody(req: IncomingMessage, limit: number): Promise<string> {
  const type = mediaType(req);
  if (!JSON_LINES_TYPES.includes(type)) throw refuseType(JSON_LINES_TYPES.join(' or '), type);
  return (await readBody(req, limit)).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra });
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
    // Built assets are content-hashed; models change only by redeploying.
    'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'max-age=3600',
  });
  // A file that vanished or cannot be opened after the stat ends this response, not the server.
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}

export async function startKioskServer(options: KioskServerOptions): Promise<KioskServer> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let heartbeat: { vitals: PageVitals; atMs: number } | null = null;
  const { logger, store } = options;
  let boundPort: number | null = null;
  const policy = options.origins ?? new OriginPolicy({ pagePort: () => boundPort, allowOrigins: options.allowOrigins });
  const upgradePaths = new Set(options.upgradePaths ?? []);
  const warn = limitedWarn(logger, 5, now);

  const health = (): Record<string, unknown> => {
    const t = now();
    return {
      ok: heartbeat !== null && t - heartbeat.atMs < 5000,
      uptimeSeconds: Math.round((t - startedAt) / 1000),
      lastHeartbeatSecondsAgo: heartbeat ? Math.round((t - heartbeat.atMs) / 100) / 10 : null,
      page: heartbeat?.vitals ?? null,
      errorsLastHour: logger.recentErrors(t),
      serverHeapBytes: process.memoryUsage().heapUsed,
      ...options.healthExtra?.(),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    for (const [k, v] of Object.entries(COMMON_HEADERS)) res.setHeader(k, v);
    const host = policy.checkHost(req.headers.host);
    if (!host.ok) {
      warn('http-refused', { status: host.status, reason: host.reason, target: describeTarget(req.url), from: req.socket.remoteAddress ?? null });
      return sendJson(res, host.status, { error: host.reason });
    }
    const target = parseRequestTarget(req);
    if (!target) return sendJson(res, 400, { error: 'malformed request target' });
    const { path } = target;
    // Anything but a read changes something (or asks to, as a CORS preflight): only the page and allowed tools.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const origin = policy.checkOrigin(req.headers.origin, req.headers.host);
      if (!origin.ok) {
        warn('http-refused', { status: origin.status, reason: origin.reason, method: req.method, target: describeTarget(req.url) });
        return sendJson(res, origin.status, { error: origin.reason });
      }
    }
    if (path === '/health') return sendJson(res, 200, health());
    if (path === '/api/config' && req.method === 'GET') return sendJson(res, 200, options.pageConfig());
    if (path === '/api/show' && req.method === 'GET' && options.showFile) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(readFileSync(options.showFile));
      return;
    }
    if (path === '/api/heartbeat' && req.method === 'POST') {
      const vitals = parseVitals(await readJsonBody(req));
      heartbeat = { vitals, atMs: now() };
      options.onHeartbeat?.(vitals, heartbeat.atMs);
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/api/log' && req.method === 'POST') {
      const body = await readJsonBody(req);
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
        const body = await readJsonBody(req);
        // The state is the cue engine's ShowState, a JSON object; a string or a list is nobody's state.
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'state: expected a JSON object (the show state)');
        store.write(show, body);
        return sendJson(res, 200, { ok: true });
      }
    }
    const recordings = options.recordings;
    if (recordings && path === '/api/recordings' && req.method === 'GET') return sendJson(res, 200, { recordings: recordings.list() });
    const recordingMatch = recordings ? /^\/api\/recordings\/([^/]+)$/.exec(path) : null;
    if (recordings && recordingMatch) {
      const name = recordingMatch[1] as string;
      if (req.method === 'POST' || req.method === 'PUT') {
        await recordings.write(name, await readJsonLinesBody(req, recordings.maxBytes));
        logger.info('recording-saved', { name });
        return sendJson(res, 200, { ok: true, name });
      }
      if (req.method === 'GET') {
        const text = recordings.read(name);
        if (text === null) return sendJson(res, 404, { error: `no recording "${name}"` });
        res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
        res.end(text);
        return;
      }
    }
    if (path === '/api/replay' && req.method === 'GET' && options.replay) {
      const r = options.replay();
      if ('error' in r) return sendJson(res, 404, { error: r.error, name: r.name });
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store' });
      res.end(r.text);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    if (path.startsWith('/models/')) {
      for (const dir of [...(options.extraModelDirs ?? []), join(options.rootDir, 'models')]) {
        if (sendFile(res, dir, path.slice('/models/'.length))) return;
      }
    }
    if (path.startsWith('/show-configs/') && sendFile(res, join(options.rootDir, 'show-configs'), path.slice('/show-configs/'.length))) return;
    if (sendFile(res, options.distDir, path === '/' ? 'index.html' : path.slice(1))) return;
    // Browsers ask for it on every page load; without one the log fills with 404s.
    if (path === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      res.end();
      return;
    }
    sendJson(res, 404, { error: `not found: ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const message = errorMessage(e);
      // Refusals carry their status; anything else (a disk that failed a write) is the server's fault.
      const status = e instanceof HttpError || e instanceof StateError ? e.status : 500;
      if (status === 500) logger.error('http-error', { status, target: describeTarget(req.url), message });
      else warn('http-error', { status, target: describeTarget(req.url), message });
      // After a 413 the rest of the body is not wanted: the connection ends with the answer.
      if (!res.headersSent) sendJson(res, status, { error: message }, status === 413 ? { Connection: 'close' } : {});
      else res.end();
    });
  });
  /**
   * An upgrade to a path nobody takes is answered 400 (without it the socket would hang open). The paths in
   * upgradePaths belong to their owner (the OSC bridge), which checks Host, Origin and its allow-list itself.
   */
  const onUpgrade = guarded(
    (req: IncomingMessage, socket: Duplex): void => {
      const target = parseRequestTarget(req);
      if (target && upgradePaths.has(target.path)) return;
      const host = policy.checkHost(req.headers.host);
      if (!host.ok) {
        warn('ws-refused', { status: host.status, reason: host.reason, target: describeTarget(req.url), from: req.socket.remoteAddress ?? null });
        return refuseUpgrade(socket, host.status, 'Misdirected Request');
      }
      warn('ws-refused', { status: 400, reason: 'no WebSocket at this path', target: describeTarget(req.url), from: req.socket.remoteAddress ?? null });
      refuseUpgrade(socket, 400, 'Bad Request');
    },
    (e, _req, socket) => {
      logger.warn('ws-upgrade-error', { error: errorMessage(e) });
      refuseUpgrade(socket, 400, 'Bad Request');
    },
  );
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  boundPort = port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    server,
    port,
    url: `http://${host}:${port}/`,
    origins: policy,
    lastHeartbeat: () => heartbeat,
    health,
    close: () =>
      new Promise<void>((resolve) => {
        server.off('upgrade', onUpgrade);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
