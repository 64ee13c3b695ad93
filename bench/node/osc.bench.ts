/**
 * OSC desk input, two questions:
 * 1. Throughput: messages/s from bytes to the bus — our decoder + router (OSC 1.0 match, coerce, coalesce per
 *    frame, bus.set) against osc-js decode + osc-js's own dispatcher (its EventHandler builds two RegExps per
 *    registered address per message), with one handler per parameter doing the same bus.set. Also osc-js decode +
 *    our router (to show where the time goes) and the router alone.
 * 2. Latency: a desk's UDP packet until the page's bus holds the value, through the real bridge and a WebSocket,
 *    against a bare UDP round trip on loopback (the floor no bridge can beat).
 */
import { createSocket, type Socket } from 'node:dgram';
import OSC from 'osc-js';
import { WebSocket } from 'ws';
import { startBridge, type BridgeHandle } from '../../kiosk/bridge/index.ts';
import { decodePacket } from '../../src/core/osc/decode.ts';
import { OscRouter } from '../../src/core/osc/router.ts';
import { ParameterBus } from '../../src/core/params/bus.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import type { Benchmark } from '../harness.ts';

const MESSAGES = 2000;
/** A desk's frame: TouchOSC at 60 Hz moving a few faders sends tens of messages between two frames. */
const PER_FRAME = 20;

/** Packets as a desk sends them: floats to the float parameters, round-robin. */
function deskPackets(): Uint8Array[] {
  const floats = PARAMS.filter((s) => s.type === 'float' && s.access === 'rw');
  return Array.from({ length: MESSAGES }, (_, i) => {
    const s = floats[i % floats.length];
    if (!s || s.type !== 'float') throw new Error('no float parameter');
    const m = new OSC.TypedMessage(`/sitter/${s.name}`, []);
    m.add('f', s.min + ((i % 97) / 96) * (s.max - s.min));
    return m.pack();
  });
}

function decode(bytes: Uint8Array): unknown {
  const p = new OSC.Packet();
  p.unpack(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return p.value;
}

function throughput(): Benchmark {
  const packets = deskPackets();
  const decoded = packets.map(decode);
  const oursBus = new ParameterBus(PARAMS);
  const router = new OscRouter({ bus: oursBus });
  const onlyRouter = new OscRouter({ bus: new ParameterBus(PARAMS) });
  const pageRouter = new OscRouter({ bus: new ParameterBus(PARAMS) });
  const baseBus = new ParameterBus(PARAMS);
  let notify: ((...args: unknown[]) => unknown) | null = null;
  // osc-js's plugins reach its dispatcher through registerNotify; a socket-less plugin does the same.
  const plugin = { registerNotify: (fn: (...a: unknown[]) => unknown) => (notify = fn), status: () => 1, open() {}, close() {}, send() {} };
  const osc = new OSC({ plugin });
  for (const s of PARAMS) {
    osc.on(`/sitter/${s.name}`, (m: { args: unknown[] }) => {
      baseBus.set(s.name, m.args[0], 'desk');
    });
  }
  let t = 0;
  return {
    name: 'osc-router-throughput',
    description: `${MESSAGES} desk packets (floats over ${PARAMS.filter((s) => s.type === 'float').length} parameters) from bytes to bus.set; frame every ${PER_FRAME} messages`,
    unit: 'message',
    ours: {
      name: 'Sitter decode + router (OSC 1.0 match, coerce, coalesce, bus.set)',
      units: MESSAGES,
      run: () => {
        for (let i = 0; i < packets.length; i++) {
          const d = decodePacket(packets[i] as Uint8Array);
          if (d.ok) router.receivePacket(d.packet, t);
          if (i % PER_FRAME === PER_FRAME - 1) router.flush(t++);
        }
        router.flush(t++);
      },
    },
    baseline: {
      name: 'osc-js decode + osc-js dispatcher (regex per handler), bus.set per message',
      units: MESSAGES,
      run: () => {
        for (const p of packets) notify?.(p);
      },
    },
    others: [
      {
        name: 'osc-js decode + Sitter router',
        units: MESSAGES,
        run: () => {
          for (let i = 0; i < packets.length; i++) {
            pageRouter.receivePacket(decode(packets[i] as Uint8Array), t);
            if (i % PER_FRAME === PER_FRAME - 1) pageRouter.flush(t++);
          }
          pageRouter.flush(t++);
        },
      },
      {
        name: 'Sitter router alone (pre-decoded messages)',
        units: MESSAGES,
        run: () => {
          for (let i = 0; i < decoded.length; i++) {
            onlyRouter.receivePacket(decoded[i], t);
            if (i % PER_FRAME === PER_FRAME - 1) onlyRouter.flush(t++);
          }
          onlyRouter.flush(t++);
        },
      },
    ],
    info: { messages: MESSAGES, perFrame: PER_FRAME, handlersInBaseline: PARAMS.length },
  };
}

interface LatencyRig {
  bridge: BridgeHandle;
  desk: Socket;
  page: WebSocket;
  echo: Socket;
}

/** One value round trip: send, then resolve when the stand-in page's bus holds it. */
function latency(flushMs: number, name: string): Benchmark {
  let rig: LatencyRig | null = null;
  let bareRig: { a: Socket; b: Socket } | null = null;
  const bus = new ParameterBus(PARAMS);
  const router = new OscRouter({ bus });
  let waiting: { value: number; resolve: () => void } | null = null;
  let seq = 0;
  let bareWaiting: (() => void) | null = null;
  return {
    name,
    description: `desk UDP → bridge (flushMs ${flushMs}) → WebSocket → decode → router → bus, until the bus holds the value`,
    unit: 'message',
    async setup() {
      const bridge = await startBridge({ udp: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, flushMs });
      const page = new WebSocket(`ws://127.0.0.1:${bridge.ports.http}/osc`);
      page.binaryType = 'arraybuffer';
      page.on('message', (data, isBinary) => {
        if (!isBinary || !(data instanceof ArrayBuffer)) return;
        // As the page's client does it: the core decoder, then the router, then a frame's flush.
        const d = decodePacket(new Uint8Array(data));
        if (!d.ok) return;
        router.receivePacket(d.packet, Date.now());
        router.flush(Date.now());
        if (waiting && bus.target('walk/jitter') === waiting.value) {
          const w = waiting;
          waiting = null;
          w.resolve();
        }
      });
      await new Promise<void>((r) => page.once('open', () => r()));
      const desk = createSocket('udp4');
      await new Promise<void>((r) => desk.bind(0, '127.0.0.1', () => r()));
      rig = { bridge, desk, page, echo: desk };
      const a = createSocket('udp4');
      const b = createSocket('udp4');
      await new Promise<void>((r) => a.bind(0, '127.0.0.1', () => r()));
      await new Promise<void>((r) => b.bind(0, '127.0.0.1', () => r()));
      b.on('message', () => {
        const w = bareWaiting;
        bareWaiting = null;
        w?.();
      });
      bareRig = { a, b };
    },
    async teardown() {
      if (rig) {
        rig.page.close();
        await rig.bridge.close();
        await new Promise<void>((r) => rig?.desk.close(() => r()));
      }
      if (bareRig) {
        const { a, b } = bareRig;
        await new Promise<void>((r) => a.close(() => r()));
        await new Promise<void>((r) => b.close(() => r()));
      }
    },
    ours: {
      name: 'UDP → bridge → WS → router → bus',
      units: 1,
      run: () =>
        new Promise<void>((resolve, reject) => {
          if (!rig) return reject(new Error('no rig'));
          // Values a float32 holds exactly, different every run.
          const value = ((seq++ % 1000) + 1) / 1024;
          waiting = { value, resolve };
          const m = new OSC.TypedMessage('/sitter/walk/jitter', []);
          m.add('f', value);
          rig.desk.send(m.pack(), rig.bridge.ports.udp, '127.0.0.1');
        }),
    },
    baseline: {
      name: 'bare UDP datagram on loopback (one socket to another)',
      units: 1,
      run: () =>
        new Promise<void>((resolve, reject) => {
          if (!bareRig) return reject(new Error('no rig'));
          bareWaiting = resolve;
          bareRig.a.send(Buffer.alloc(32), bareRig.b.address().port, '127.0.0.1');
        }),
    },
    info: { flushMs },
  };
}

export default async function oscBenchmarks(): Promise<Benchmark[]> {
  return [throughput(), latency(0, 'osc-desk-to-bus-latency'), latency(4, 'osc-desk-to-bus-latency-flush4ms')];
}
