import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKiosk, type KioskProcess } from '../support/kiosk-process.ts';
import { decodeAll, getJson, openUdp, openWs, typedMessage, waitFor, type Udp } from './pages/osc-net.ts';

/** Sends raw bytes to a TCP port and collects whatever comes back until the peer closes (or a short timeout). */
function raw(port: number, bytes: string | Uint8Array, waitMs = 600): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

const upgradeTo = (target: string): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

/** Malformed input a hostile page or a careless script on the LAN can send, each once to each TCP port. */
const ATTACKS: readonly (readonly [string, string | Uint8Array])[] = [
  ['a bad percent escape', 'GET /% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ['a bad escape under the OSCQuery root', 'GET /sitter/%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ['an absolute target that is not a URL', 'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
  ['an upgrade to a target that is not a URL', upgradeTo('http://[')],
  ['an upgrade to a bad escape', upgradeTo('/%')],
  ['an upgrade without a key', 'GET /osc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
  ['a 100 KB header', `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
  ['a 100 KB request target', `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`],
  ['binary garbage', new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 255))],
  ['a request line cut short', 'GET /sitter'],
  ['a body longer than its length', 'POST /api/log HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n{"level":"info","message":"x"}'],
];

describe('malformed network input never stops the kiosk', () => {
  let kiosk: KioskProcess;
  let desk: Udp;
  let kioskPort: number;

  beforeAll(async () => {
    kiosk = await startKiosk(['--show', 'demo']);
    kioskPort = Number(new URL(kiosk.url).port);
    desk = await openUdp();
  });

  afterAll(async () => {
    await desk?.close();
    await kiosk?.stop();
  });

  it('answers each malformed request with an error status or a closed socket, and stays up', async () => {
    for (const port of [kioskPort, kiosk.oscQueryPort]) {
      for (const [what, bytes] of ATTACKS) {
        const reply = await raw(port, bytes);
        // Either an HTTP error status or nothing (the socket closed): never a 101 switch or a 2xx for garbage.
        if (reply !== '') expect(reply, `${what} on port ${port}`).toMatch(/^HTTP\/1\.[01] (4\d\d)/);
        expect(kiosk.child.exitCode, `process still running after ${what} on port ${port}`).toBeNull();
      }
    }
  });

  it('answers an upgrade to a path with no WebSocket with 400 instead of leaving the socket open', async () => {
    const reply = await raw(kioskPort, upgradeTo('/not-a-socket'), 3000);
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('answers 400 to GET /% on both ports', async () => {
    for (const port of [kioskPort, kiosk.oscQueryPort]) expect(await raw(port, 'GET /% HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('survives garbage on the page and OSCQuery WebSockets', async () => {
    const page = await openWs(`ws://127.0.0.1:${kioskPort}/osc`);
    const query = await openWs(`ws://127.0.0.1:${kiosk.oscQueryPort}/`);
    for (const ws of [page, query]) {
      ws.ws.send('{"type":');
      ws.ws.send('\u0000\uffff not json');
      ws.ws.send(JSON.stringify({ type: 'values', values: { 'walk/speed': { nested: [1, 2] } } }));
      ws.ws.send(JSON.stringify({ COMMAND: 'LISTEN', DATA: { not: 'a path' } }));
      ws.ws.send(new Uint8Array([0, 1, 2, 3, 255, 254]));
      ws.ws.send(new Uint8Array(0));
    }
    await new Promise((r) => setTimeout(r, 300));
    await query.close();
    expect(kiosk.child.exitCode).toBeNull();
    // The show goes on: a desk message still reaches a page, and the HTTP side still answers.
    await desk.send(typedMessage('/sitter/walk/speed', ['f', 1.5]), kiosk.udpPort);
    const got = await waitFor('the desk message on the page', () => page.binary.flatMap((b) => decodeAll(b)).find((m) => m.address === '/sitter/walk/speed'));
    expect(got.args[0]).toBeCloseTo(1.5, 6);
    await page.close();
    const health = await getJson(`${kiosk.url}health`);
    expect(health.status).toBe(200);
    const tree = await getJson(`http://127.0.0.1:${kiosk.oscQueryPort}/sitter/walk/speed`);
    expect(tree.status).toBe(200);
  });

  it('logs each OSC drop with its reason, sender and address, through npm start\'s own logger', async () => {
    await desk.send(typedMessage('/sitter/walk/speed', ['f', Number.NaN]), kiosk.udpPort);
    const line = await waitFor('the drop in the log', () => kiosk.output().split('\n').find((l) => l.includes('"event":"osc-drop"') && l.includes('not-finite')));
    expect(JSON.parse(line)).toMatchObject({ level: 'warn', event: 'osc-drop', reason: 'not-finite', from: '127.0.0.1', address: '/sitter/walk/speed' });
  });

  it('logs what it refused', () => {
    expect(kiosk.output()).not.toMatch(/Maximum call stack|Uncaught|URIError: URI malformed\n\s+at/);
  });
});
