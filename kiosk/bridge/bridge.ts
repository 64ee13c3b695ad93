import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Coalescer } from '../../src/core/osc/coalescer.ts';
import { DropCounter, emptyStats, type OscStats } from '../../src/core/osc/stats.ts';
import type { DropReason } from '../../src/core/osc/types.ts';
import { WS_PROTOCOL_VERSION, parsePageMessage, type BridgeToPage } from '../../src/core/osc/ws-protocol.ts';
import type { ParamValue } from '../../src/core/params/types.ts';
import { checkPacket } from './check-packet.ts';
import { OscQueryService, toBytes } from './oscquery-service.ts';
import { describeTarget, guarded, parseRequestTarget } from '../net/request-target.ts';
import { allowed, resolveOptions, type BridgeOptions, type Endpoint, type ResolvedOptions } from './options.ts';

export interface BridgeStats {
  /** Packets in from desks (UDP and OSCQuery WebSocket), before any check. */
  readonly received: number;
  /** Packets sent on to the page(s). */
  readonly forwarded: number;
  /** Packets replaced by a later one for the same address before the flush. */
  readonly coalesced: number;
  /** Feedback packets sent to the desk over UDP. */
  readonly feedbackSent: number;
  readonly pages: number;
  readonly oscQueryClients: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
}

export interface BridgeHandle {
  /** Ports actually bound (with port 0 asked for, the ones the system chose); http is null without an own server. */
  readonly ports: { readonly udp: number; readonly http: number | null };
  stats(): BridgeStats;
  /** The page's latest reported values, as OSCQuery serves them. */
  values(): Readonly<Record<string, ParamValue>>;
  setFeedbackTarget(target: Endpoint | null): void;
  /** For a host server: answers OSCQuery GETs, returns false for anything else. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
  /** Frees every socket, timer and listener the bridge made. */
  close(): Promise<void>;
}

/** A page WebSocket that stops reading (a hung tab) must not make the bridge buffer without end. */
const PAGE_BACKPRESSURE_BYTES = 1 << 20;

/**
 * The Node side of the desk: UDP in ⇄ WebSocket to the page (which owns the bus and routes), UDP feedback out,
 * OSCQuery over HTTP/WS. Sockets are Node's dgram and ws; OSC bytes are checked with osc-js. The page decodes and
 * routes; the bridge only checks, coalesces per address and carries, so it has no state to lose.
 */
export async function startBridge(options: BridgeOptions = {}): Promise<BridgeHandle> {
  const o = resolveOptions(options);
  const counters: OscStats = emptyStats();
  const drops = new DropCounter(counters, (e) => o.logger.warn('osc-drop', { ...e }));
  let forwarded = 0;
  let feedbackSent = 0;
  let feedback: Endpoint | null = o.feedback;
  let values: Record<string, ParamValue> = {};
  const pages = new Set<WebSocket>();
  const specNames = new Set(o.specs.map((sp) => sp.name));
  const queue = new Coalescer<Uint8Array>(o.maxQueue);
  let bundleSeq = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let flushImmediate: ReturnType<typeof setImmediate> | null = null;
  let closed = false;

  const drop = (reason: DropReason, address: string, detail: string): void => drops.drop(reason, address, detail, Date.now());

  const flush = (): void => {
    flushTimer = null;
    flushImmediate = null;
    queue.drain((bytes) => {
      if (pages.size === 0) return;
      for (const ws of pages) {
        if (ws.readyState !== ws.OPEN) continue;
        if (ws.bufferedAmount > PAGE_BACKPRESSURE_BYTES) {
          drop('rate-limit', '', 'page is not reading (WebSocket backpressure)');
          continue;
        }
        ws.send(bytes, { binary: true });
      }
      forwarded++;
    });
  };

  /** Every packet from a desk, whatever carried it. */
  const ingest = (bytes: Uint8Array, from: string | undefined): void => {
    counters.received++;
    if (!allowed(o.allow, from)) return drop('not-allowed', '', `sender ${from ?? 'unknown'}`);
    const c = checkPacket(bytes, o.maxPacketBytes);
    if (!c.ok) return drop(c.reason, '', `${c.detail} from ${from ?? 'unknown'}`);
    // Latest per address: a fader flood becomes one packet per flush. Bundles keep their own slot (timetags).
    const key = c.kind === 'message' ? `m:${c.address}${c.types}` : `b:${bundleSeq++}`;
    const r = queue.offer(key, bytes);
    if (r === 'replaced') counters.coalesced++;
    else if (r === 'full') return drop('rate-limit', c.kind === 'message' ? c.address : '', `more than ${o.maxQueue} packets queued`);
    if (flushTimer !== null || flushImmediate !== null || closed) return;
    // flushMs 0: flush after this turn of the event loop (every datagram read in it coalesced, least latency).
    if (o.flushMs <= 0) flushImmediate = setImmediate(flush);
    else flushTimer = setTimeout(flush, o.flushMs);
  };

  const oscQuery = new OscQueryService({
    specs: o.specs,
    name: o.name,
    values: () => values,
    udpHost: o.udpHost,
    udpPort: () => udpPort,
    httpPort: () => httpPort ?? 0,
    onOsc: ingest,
  });

  // UDP in and feedback out on one socket, so a desk that replies to the sender's port reaches us too.
  const udp: Socket = createSocket({ type: o.udpHost.includes(':') ? 'udp6' : 'udp4' });
  const onUdp = (msg: Buffer, rinfo: RemoteInfo): void => ingest(msg, rinfo.address);
  udp.on('message', onUdp);
  udp.on('error', (e) => o.logger.warn('osc-udp-error', { error: e.message }));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind({ address: o.udpHost, port: o.udpPort, exclusive: true }, () => {
      udp.off('error', reject);
      resolve();
    });
  }).catch((e: unknown) => {
    udp.close();
    throw e;
  });
  const udpPort = udp.address().port;

  const sendFeedback = (bytes: Uint8Array): void => {
    if (!feedback) return;
    const c = checkPacket(bytes, o.maxPacketBytes);
    if (!c.ok) return drop(c.reason, '', `feedback from the page: ${c.detail}`);
    udp.send(bytes, feedback.port, feedback.host, (err) => {
      if (err) o.logger.warn('osc-feedback-error', { error: err.message });
    });
    feedbackSent++;
  };

  const pageWss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const queryWss = new WebSocketServer({ noServer: true, maxPayload: o.maxPacketBytes });

  pageWss.on('connection', (ws: WebSocket) => {
    pages.add(ws);
    const welcome: BridgeToPage = { type: 'welcome', protocol: WS_PROTOCOL_VERSION, udpPort, feedback };
    ws.send(JSON.stringify(welcome));
    ws.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      if (isBinary) return sendFeedback(bytes);
      const p = parsePageMessage(Buffer.from(bytes).toString('utf8'));
      if (!p.ok) return o.logger.warn('osc-page-message', { error: p.error });
      if (p.message.type === 'values') {
        // Only catalogue names: the mirror is what OSCQuery serves, and nothing else belongs in it.
        const known: Record<string, ParamValue> = {};
        for (const [k, v] of Object.entries(p.message.values)) if (specNames.has(k)) known[k] = v;
        values = p.message.full ? known : { ...values, ...known };
        oscQuery.valuesChanged(known);
      }
    });
    ws.on('close', () => pages.delete(ws));
    ws.on('error', () => ws.terminate());
  });

  /** On our own server: the page at wsPath, OSCQuery clients anywhere else. On a host's: the page only. */
  const upgrade = (own: boolean) => (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const target = parseRequestTarget(req);
    if (!target) {
      // On a host's server the host's own handlers may still claim it; on ours nobody else will.
      if (own) refuseUpgrade(socket, 400, 'Bad Request');
      o.logger.warn('bridge-bad-request', { kind: 'upgrade', target: describeTarget(req.url), from: req.socket.remoteAddress ?? null });
      return;
    }
    const isPage = target.path === o.wsPath;
    if (!isPage && !own) return;
    const remote = req.socket.remoteAddress;
    // A page receives every desk message and may send to the desk: the allow-list holds for it too.
    if (!allowed(o.allow, remote)) {
      drop('not-allowed', '', `${isPage ? 'page' : 'OSCQuery'} WebSocket from ${remote ?? 'unknown'}`);
      socket.destroy();
      return;
    }
    const wss = isPage ? pageWss : queryWss;
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (isPage) pageWss.emit('connection', ws, req);
      else oscQuery.addClient(ws, remote);
    });
  };
  const upgradeFailed = (e: unknown, req: IncomingMessage, socket: Duplex): void => {
    o.logger.warn('bridge-upgrade-error', { target: describeTarget(req.url), error: e instanceof Error ? e.message : String(e) });
    refuseUpgrade(socket, 400, 'Bad Request');
  };

  let server: Server | null = null;
  let httpPort: number | null = null;
  const ownUpgrade = guarded(upgrade(true), upgradeFailed);
  const hostUpgrade = guarded(upgrade(false), upgradeFailed);
  if (o.http) {
    const s = createServer(
      guarded(
        (req: IncomingMessage, res: ServerResponse) => {
          if (!oscQuery.handleHttp(req, res)) res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        },
        (e, req, res) => {
          o.logger.warn('bridge-http-error', { target: describeTarget(req.url), error: e instanceof Error ? e.message : String(e) });
          if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad request"}');
          else res.destroy();
        },
      ),
    );

    s.on('upgrade', ownUpgrade);
    const http = o.http;
    try {
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(http.port, http.host, () => {
          s.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      udp.close();
      throw e;
    }
    server = s;
    httpPort = (s.address() as AddressInfo).port;
  }
  o.attach?.on('upgrade', hostUpgrade);

  o.logger.info('osc-bridge-listening', {
    udp: `${o.udpHost}:${udpPort}`,
    oscquery: server ? `http://${o.http?.host}:${httpPort}/` : null,
    page: server ? `ws://${o.http?.host}:${httpPort}${o.wsPath}` : null,
    feedback: feedback ? `${feedback.host}:${feedback.port}` : null,
    allow: o.allow.size ? [...o.allow] : 'any',
  });

  return {
    ports: { udp: udpPort, http: httpPort },
    stats: () => ({
      received: counters.received,
      forwarded,
      coalesced: counters.coalesced,
      feedbackSent,
      pages: pages.size,
      oscQueryClients: oscQuery.clientCount,
      dropped: { ...counters.dropped },
    }),
    values: () => values,
    setFeedbackTarget: (t) => {
      feedback = t;
    },
    handleHttp: (req, res) => oscQuery.handleHttp(req, res),
    close: () => closeAll(o, { udp, onUdp, server, pageWss, queryWss, oscQuery, pages, ownUpgrade, hostUpgrade }, () => {
      closed = true;
      if (flushTimer !== null) clearTimeout(flushTimer);
      if (flushImmediate !== null) clearImmediate(flushImmediate);
      flushTimer = null;
      flushImmediate = null;
      queue.clear();
    }),
  };
}

interface Owned {
  readonly udp: Socket;
  readonly onUdp: (msg: Buffer, rinfo: RemoteInfo) => void;
  readonly server: Server | null;
  readonly pageWss: WebSocketServer;
  readonly queryWss: WebSocketServer;
  readonly oscQuery: OscQueryService;
  readonly pages: Set<WebSocket>;
  readonly ownUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  readonly hostUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

async function closeAll(o: ResolvedOptions, x: Owned, stopTimers: () => void): Promise<void> {
  stopTimers();
  o.attach?.off('upgrade', x.hostUpgrade);
  for (const ws of x.pages) ws.terminate();
  x.pages.clear();
  x.oscQuery.close();
  await Promise.all([
    new Promise<void>((r) => x.pageWss.close(() => r())),
    new Promise<void>((r) => x.queryWss.close(() => r())),
    new Promise<void>((r) => {
      x.udp.off('message', x.onUdp);
      x.udp.close(() => r());
    }),
    new Promise<void>((r) => {
      if (!x.server) return r();
      x.server.off('upgrade', x.ownUpgrade);
      x.server.closeAllConnections();
      x.server.close(() => r());
    }),
  ]);
}

/** Answers a refused WebSocket upgrade with a plain HTTP status and closes the socket. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}
