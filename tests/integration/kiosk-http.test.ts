import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskServer, type KioskServer } from '../../kiosk/server/http.ts';
import { StateStore } from '../../kiosk/server/state-store.ts';
import { send } from '../support/raw-http.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

/** The kiosk's HTTP server on its own (no browser, no bridge): limits, headers, state file care. */
describe('kiosk HTTP server', () => {
  let server: KioskServer;
  let stateDir: string;
  const logs: { event: string; fields: Record<string, unknown> }[] = [];
  const logger = {
    log: (r: { event: string }) => logs.push({ event: r.event, fields: r as Record<string, unknown> }),
    info: (event: string, fields: Record<string, unknown> = {}) => logs.push({ event, fields }),
    warn: (event: string, fields: Record<string, unknown> = {}) => logs.push({ event, fields }),
    error: (event: string, fields: Record<string, unknown> = {}) => logs.push({ event, fields }),
    recentErrors: () => 0,
  };

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'sitter-http-'));
    // A temp file left by a crash mid-write, from an earlier run.
    writeFileSync(join(stateDir, 'old.json.tmp'), '{"half');
    const distDir = mkdtempSync(join(tmpdir(), 'sitter-dist-'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>page</title>');
    server = await startKioskServer({
      distDir,
      rootDir: distDir,
      store: new StateStore(stateDir, logger, 3),
      logger,
      port: 0,
      pageConfig: () => ({ show: 'demo' }),
      upgradePaths: ['/osc'],
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('cleans temp files a crash left behind', () => {
    expect(readdirSync(stateDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('sends nosniff and a CSP that forbids framing on every response, JSON and errors included', async () => {
    for (const [method, path] of [['GET', '/'], ['GET', '/health'], ['GET', '/nothing'], ['POST', '/api/log']] as const) {
      const r = await send(server.port, method, path);
      expect(r.headers['x-content-type-options'], `${method} ${path}`).toBe('nosniff');
      expect(r.headers['content-security-policy'], `${method} ${path}`).toMatch(/frame-ancestors 'none'/);
    }
  });

  it('answers /favicon.ico without a 404', async () => {
    expect((await send(server.port, 'GET', '/favicon.ico')).status).toBe(204);
  });

  it('takes JSON bodies only as application/json (415), and says 413 for a body over 1 MiB instead of resetting', async () => {
    expect((await send(server.port, 'POST', '/api/heartbeat', { 'content-type': 'text/plain' }, '{"fps":1}')).status).toBe(415);
    expect((await send(server.port, 'POST', '/api/log', {}, '{}')).status).toBe(415);
    expect((await send(server.port, 'POST', '/api/log', { 'content-type': 'application/json; charset=utf-8' }, '{"message":"hi"}')).status).toBe(200);
    const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
    // Declared up front, and streamed without a length (chunked): both get the status, not a reset.
    const declared = await send(server.port, 'PUT', '/api/state/demo', JSON_TYPE, big);
    expect(declared.status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method: 'PUT', path: '/api/state/demo', headers: JSON_TYPE }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 3; i++) req.write(big.subarray(0, 1024 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect((await send(server.port, 'GET', '/health')).status).toBe(200);
  });

  it('stores only JSON objects as state, and a bounded number of show names', async () => {
    expect((await send(server.port, 'PUT', '/api/state/demo', JSON_TYPE, '"a string"')).status).toBe(400);
    expect((await send(server.port, 'PUT', '/api/state/demo', JSON_TYPE, '[1,2]')).status).toBe(400);
    expect((await send(server.port, 'PUT', '/api/state/demo', JSON_TYPE, 'null')).status).toBe(400);
    for (const name of ['a', 'b', 'c']) expect((await send(server.port, 'PUT', `/api/state/${name}`, JSON_TYPE, '{"cue":1}')).status).toBe(200);
    const fourth = await send(server.port, 'PUT', '/api/state/d', JSON_TYPE, '{"cue":1}');
    expect(fourth.status).toBe(507);
    expect(fourth.body).toMatch(/already 3 saved shows/);
    // An existing name can still be saved.
    expect((await send(server.port, 'PUT', '/api/state/a', JSON_TYPE, '{"cue":2}')).status).toBe(200);
    expect(JSON.parse((await send(server.port, 'GET', '/api/state/a')).body)).toEqual({ state: { cue: 2 } });
  });

  it('logs a corrupt state file, and leaves no temp file when a write fails', async () => {
    writeFileSync(join(stateDir, 'b.json'), '{"cue": 1, oops');
    expect(JSON.parse((await send(server.port, 'GET', '/api/state/b')).body)).toEqual({ state: null });
    expect(logs.find((l) => l.event === 'state-unreadable')?.fields).toMatchObject({ show: 'b' });
    // c.json becomes a folder: the rename over it fails.
    const c = join(stateDir, 'c.json');
    rmSync(c);
    mkdirSync(c);
    writeFileSync(join(c, 'x'), '');
    const r = await send(server.port, 'PUT', '/api/state/c', JSON_TYPE, '{"cue":1}');
    expect(r.status).toBe(500);
    expect(existsSync(`${c}.tmp`)).toBe(false);
  });

  it('refuses a Host that is not ours (421) and upgrades to paths nobody serves (400)', async () => {
    const r = await send(server.port, 'GET', '/', { host: `evil.example:${server.port}` });
    expect(r.status).toBe(421);
    const reply = await new Promise<string>((resolve) => {
      const s = connect(server.port, '127.0.0.1', () =>
        s.write('GET /elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'),
      );
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('close', () => resolve(got));
      setTimeout(() => s.destroy(), 3000);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });
});
