import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskServer, type KioskServer } from '../../kiosk/server/http.ts';
import { RecordingStore } from '../../kiosk/server/recording-store.ts';
import { StateStore } from '../../kiosk/server/state-store.ts';
import { RECORDING_FORMAT } from '../../src/core/record/index.ts';
import { send } from '../support/raw-http.ts';

const NDJSON = { 'content-type': 'application/x-ndjson' };

function recording(value: number, events = 1): string {
  const lines = [JSON.stringify({ format: RECORDING_FORMAT, show: 'demo', start: 1 })];
  for (let i = 0; i < events; i++) lines.push(JSON.stringify({ t: 1 + i / 60, kind: 'input', input: { op: 'set', name: 'walk/speed', value, source: 'desk', immediate: false } }));
  return `${lines.join('\n')}\n`;
}

/** Recordings saved by the page into <stateDir>/recordings over real HTTP: names, sizes, origins, the bound count. */
describe('kiosk recordings endpoint', () => {
  let server: KioskServer;
  let dir: string;
  const warnings: { event: string; fields: Record<string, unknown> }[] = [];
  const logger = {
    log: () => {},
    info: () => {},
    warn: (event: string, fields: Record<string, unknown> = {}) => warnings.push({ event, fields }),
    error: (event: string, fields: Record<string, unknown> = {}) => warnings.push({ event, fields }),
    recentErrors: () => 0,
  };

  beforeAll(async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sitter-rec-'));
    dir = join(stateDir, 'recordings');
    const distDir = mkdtempSync(join(tmpdir(), 'sitter-dist-'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>page</title>');
    server = await startKioskServer({
      distDir,
      rootDir: distDir,
      store: new StateStore(stateDir, logger),
      recordings: new RecordingStore(dir, logger, 3, 4096),
      logger,
      port: 0,
      pageConfig: () => ({ show: 'demo' }),
    });
  });

  afterAll(async () => {
    await server.close();
  });

  it('saves a recording atomically, lists it and returns it as sent', async () => {
    const text = recording(0.25, 3);
    const origin = `http://127.0.0.1:${server.port}`;
    const saved = await send(server.port, 'POST', '/api/recordings/set-1', { ...NDJSON, origin }, text);
    expect(saved.status, saved.body).toBe(200);
    expect(readdirSync(dir)).toEqual(['set-1.jsonl']);
    const list = JSON.parse((await send(server.port, 'GET', '/api/recordings')).body) as { recordings: { name: string; bytes: number }[] };
    expect(list.recordings).toEqual([expect.objectContaining({ name: 'set-1', bytes: Buffer.byteLength(text) })]);
    const got = await send(server.port, 'GET', '/api/recordings/set-1');
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/x-ndjson');
    expect(got.body).toBe(text);
    expect((await send(server.port, 'GET', '/api/recordings/none')).status).toBe(404);
  });

  it('refuses a bad name (400), an oversize body (413), a foreign origin (403), a simple content type (415), a non-recording (400)', async () => {
    const bad = await send(server.port, 'POST', '/api/recordings/bad%20name!', NDJSON, recording(0.1));
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('invalid name');
    // A decoded slash is another path altogether: refused, nothing written outside the folder.
    expect((await send(server.port, 'POST', '/api/recordings/..%2Fescape', NDJSON, recording(0.1))).status).toBe(405);
    expect((await send(server.port, 'POST', '/api/recordings/a.b', NDJSON, recording(0.1))).status).toBe(400);
    const big = await send(server.port, 'POST', '/api/recordings/big', NDJSON, recording(0.1, 200));
    expect(big.status).toBe(413);
    const foreign = await send(server.port, 'POST', '/api/recordings/evil', { ...NDJSON, origin: 'http://evil.example' }, recording(0.1));
    expect(foreign.status).toBe(403);
    const plain = await send(server.port, 'POST', '/api/recordings/plain', { 'content-type': 'text/plain' }, recording(0.1));
    expect(plain.status).toBe(415);
    const junk = await send(server.port, 'POST', '/api/recordings/junk', NDJSON, '{"not":"a recording"}\n');
    expect(junk.status).toBe(400);
    expect(junk.body).toContain('line 1');
    for (const n of ['big', 'evil', 'plain', 'junk']) expect(existsSync(join(dir, `${n}.jsonl`))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the newest 3 (the bound here) and logs what it removes', async () => {
    for (const n of ['set-2', 'set-3', 'set-4']) {
      await new Promise((r) => setTimeout(r, 15));
      expect((await send(server.port, 'POST', `/api/recordings/${n}`, NDJSON, recording(0.5))).status).toBe(200);
    }
    expect(readdirSync(dir).sort()).toEqual(['set-2.jsonl', 'set-3.jsonl', 'set-4.jsonl']);
    expect(warnings.find((w) => w.event === 'recording-removed')?.fields.name).toBe('set-1');
  });
});

/**
 * The kiosk process also relays the desk and leads the screens: validating a large recording must not hold its event
 * loop. Once validation has begun (the store logs it), a /health request sent from this same process is answered
 * before the upload is; validated in one block (as before), the upload's reply came first.
 */
describe('kiosk recordings endpoint, a large upload', () => {
  it('answers other requests while it validates a large recording', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'sitter-rec-big-'));
    const distDir = mkdtempSync(join(tmpdir(), 'sitter-dist-'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>page</title>');
    const order: string[] = [];
    let health: Promise<void> | null = null;
    let port = 0;
    const logger = {
      log: () => {},
      info: (event: string) => {
        if (event === 'recording-validating') health = send(port, 'GET', '/health').then((r) => void order.push(`health ${r.status}`));
      },
      warn: () => {},
      error: () => {},
      recentErrors: () => 0,
    };
    const big = await startKioskServer({
      distDir,
      rootDir: distDir,
      store: new StateStore(stateDir, logger),
      recordings: new RecordingStore(join(stateDir, 'recordings'), logger),
      logger,
      port: 0,
      pageConfig: () => ({ show: 'demo' }),
    });
    port = big.port;
    try {
      const text = recording(0.5, 150_000);
      const saved = await send(port, 'POST', '/api/recordings/long-set', NDJSON, text);
      order.push(`save ${saved.status}`);
      expect(health).not.toBeNull();
      await health;
      expect(order).toEqual(['health 200', 'save 200']);
      expect(readdirSync(join(stateDir, 'recordings'))).toEqual(['long-set.jsonl']);
    } finally {
      await big.close();
    }
  }, 60_000);
});
