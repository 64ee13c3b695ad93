import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodePacket } from '../../../src/core/osc/decode.ts';
import { Feedback } from '../../../src/core/osc/feedback.ts';
import { OscRouter } from '../../../src/core/osc/router.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { connectOscClient } from '../../../src/input/osc-client.ts';
import { typed } from './oscjs.ts';

/** Just enough of the browser's WebSocket for the client; the test opens, fails and feeds it by hand. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static all: FakeSocket[] = [];
  readonly OPEN = 1;
  readyState = 0;
  binaryType = 'blob';
  sent: (string | Uint8Array)[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  fail(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }
}

function setup(): { bus: ParameterBus; client: ReturnType<typeof connectOscClient> } {
  const bus = new ParameterBus(PARAMS);
  const router = new OscRouter({ bus });
  const feedback = new Feedback({ specs: PARAMS });
  feedback.attach(bus);
  const client = connectOscClient({
    url: 'ws://127.0.0.1:1/osc',
    bus,
    router,
    feedback,
    backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 },
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    now: () => Date.now(),
  });
  return { bus, client };
}

describe('OSC WebSocket client', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reconnects with exponential backoff, capped, and starts over after a success', () => {
    const { client } = setup();
    const delays: number[] = [];
    for (let k = 0; k < 6; k++) {
      const n = FakeSocket.all.length;
      (FakeSocket.all.at(-1) as FakeSocket).fail();
      const t0 = Date.now();
      while (FakeSocket.all.length === n) vi.advanceTimersByTime(10);
      delays.push(Date.now() - t0);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    (FakeSocket.all.at(-1) as FakeSocket).open();
    expect(client.status).toBe('open');
    expect(client.attempts).toBe(0);
    (FakeSocket.all.at(-1) as FakeSocket).fail();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(8);
    client.dispose();
  });

  it('says hello, reports every value, routes binary frames at frame() and reports changes', () => {
    const { bus, client } = setup();
    const s = FakeSocket.all[0] as FakeSocket;
    s.open();
    const texts = s.sent.filter((x): x is string => typeof x === 'string').map((x) => JSON.parse(x) as { type: string; full?: boolean });
    expect(texts.map((t) => t.type)).toEqual(['hello', 'values']);
    expect(texts[1]?.full).toBe(true);
    // The desk got the full picture too (binary feedback frames).
    expect(s.sent.filter((x) => typeof x !== 'string').length).toBeGreaterThan(PARAMS.length);
    const bytes = typed('/sitter/walk/speed', ['f', 3]);
    s.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    expect(bus.target('walk/speed')).toBe(1);
    s.sent = [];
    vi.advanceTimersByTime(200);
    client.frame();
    expect(bus.target('walk/speed')).toBe(3);
    const delta = s.sent.filter((x): x is string => typeof x === 'string').map((x) => JSON.parse(x) as { type: string; values: Record<string, unknown> });
    expect(delta).toEqual([{ type: 'values', full: false, values: { 'walk/speed': 3 } }]);
    const fb = s.sent.filter((x): x is Uint8Array => typeof x !== 'string').map((b) => decodePacket(b));
    expect(fb.some((d) => d.ok && 'address' in d.packet && d.packet.address === '/sitter/norm/walk/speed')).toBe(true);
    client.dispose();
  });

  it('leaves no timer, no socket handler and no bus listener after dispose', () => {
    const { bus, client } = setup();
    (FakeSocket.all[0] as FakeSocket).fail();
    expect(vi.getTimerCount()).toBe(1);
    const listeners = bus.listenerCount();
    client.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(bus.listenerCount()).toBe(listeners - 1);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(client.status).toBe('disposed');
  });
});
