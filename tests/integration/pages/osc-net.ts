import { createSocket, type Socket } from 'node:dgram';
import OSC from 'osc-js';
import { WebSocket } from 'ws';
import { timetagToMs } from '../../../src/core/osc/packet.ts';

/** Polls until `check` returns a value (not undefined/false), with a bounded number of tries. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const tries = Math.ceil(timeoutMs / everyMs);
  for (let i = 0; i < tries; i++) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Decoded {
  readonly address: string;
  readonly args: readonly unknown[];
  readonly bundle: boolean;
  readonly timetagMs: number | null;
}

/** Decodes bytes into messages (bundles flattened), for assertions. */
export function decodeAll(bytes: Uint8Array): Decoded[] {
  const p = new OSC.Packet();
  p.unpack(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const out: Decoded[] = [];
  const walk = (v: unknown, tt: number | null, bundle: boolean): void => {
    if (v instanceof OSC.Message) out.push({ address: v.address, args: v.args, bundle, timetagMs: tt });
    else if (v instanceof OSC.Bundle) {
      // Not v.timetag.value.timestamp(): osc-js 2.4.1 rounds the NTP fraction to a whole second there.
      const t = v.timetag.value;
      for (const e of v.bundleElements as unknown[]) walk(e, timetagToMs(t.seconds, t.fractions), true);
    }
  };
  walk(p.value, null, false);
  return out;
}

export function typedMessage(address: string, ...args: ['i' | 'f' | 'd' | 's' | 'T' | 'F' | 'N' | 'I' | 'h' | 'b', unknown][]): Uint8Array {
  const m = new OSC.TypedMessage(address, []);
  for (const [t, v] of args) m.add(t, v as never);
  return m.pack();
}

export interface Udp {
  readonly socket: Socket;
  readonly port: number;
  readonly received: Decoded[];
  send(bytes: Uint8Array, port: number, host?: string): Promise<void>;
  close(): Promise<void>;
}

export async function openUdp(host = '127.0.0.1'): Promise<Udp> {
  const socket = createSocket('udp4');
  const received: Decoded[] = [];
  socket.on('message', (m) => {
    try {
      received.push(...decodeAll(m));
    } catch {
      // Not OSC: the tests only look at OSC.
    }
  });
  await new Promise<void>((r) => socket.bind(0, host, () => r()));
  return {
    socket,
    port: socket.address().port,
    received,
    send: (bytes, port, to = '127.0.0.1') => new Promise((resolve, reject) => socket.send(bytes, port, to, (e) => (e ? reject(e) : resolve()))),
    close: () => new Promise((r) => socket.close(() => r())),
  };
}

export interface WsPeer {
  readonly ws: WebSocket;
  readonly binary: Uint8Array[];
  readonly text: string[];
  close(): Promise<void>;
}

/** A WebSocket from Node; `origin`/`host` set those headers as a browser page (or a rebinding one) would. */
export async function openWs(url: string, localAddress?: string, headers: { origin?: string; host?: string } = {}): Promise<WsPeer> {
  const ws = new WebSocket(url, {
    ...(localAddress ? { localAddress } : {}),
    ...(headers.origin ? { origin: headers.origin } : {}),
    ...(headers.host ? { headers: { host: headers.host } } : {}),
  });
  const binary: Uint8Array[] = [];
  const text: string[] = [];
  ws.on('message', (data, isBinary) => {
    const b = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data;
    if (isBinary) binary.push(new Uint8Array(b));
    else text.push(b.toString('utf8'));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    binary,
    text,
    close: () =>
      new Promise((r) => {
        if (ws.readyState === ws.CLOSED) return r();
        ws.once('close', () => r());
        ws.close();
      }),
  };
}

export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}
