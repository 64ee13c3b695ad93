import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { Coalescer } from '../../src/core/osc/coalescer.ts';
import { DropCounter, emptyStats, type OscStats } from '../../src/core/osc/stats.ts';
import type { DropReason } from '../../src/core/osc/types.ts';
import { WS_PROTOCOL_VERSION, parsePageMessage, type BridgeCounters, type BridgeToPage } from '../../src/core/osc/ws-protocol.ts';
import { coerce, describeGot } from '../../src/core/params/coerce.ts';
import { limitedWarn } from '../server/log.ts';
import type { ParamSpec, ParamValue } from '../../src/core/params/types.ts';
import { checkPacket } from './check-packet.ts';
import { OscQueryService, toBytes } from './oscquery-service.ts';
import { describeTarget, guarded, parseRequestTarget, refuseUpgrade } from '../net/request-target.ts';
import { allowed, resolveOptions, type BridgeOptions, type Endpoint, type ResolvedOptions } from './options.ts';
import { BridgeMeter, SAMPLE_MS } from './counters.ts';
import type { KernelDrops } from './udp-drops.ts';
import { errorMessage } from '../../src/core/error-message.ts';

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
  /** Values from the page moved into range before OSCQuery serves them (as the desk path clamps). */
  readonly pageValuesClamped: number;
  /** Per second over the last ~10 s. */
  readonly receivedPerSecond: number;
  readonly forwardedPerSecond: number;
  /** UDP receive-buffer drops by the kernel (udp-drops.ts says where the figure comes from). */
  readonly kernel: KernelDrops;
  /** Every address the UDP port is bound on. */
  readonly udpBound: readonly string[];
}

export interface BridgeHandle {
  /** Ports actually bound (with port 0 asked for, the ones the system chose); http is null without an own server. */
  readonly ports: { readonly udp: number; readonly http: number | null };
  stats(): BridgeStats;
  /** The same figures as the page's HUD gets them, for /health. */
  counters(): BridgeCounters;
  /** The page's latest reported values, as OSCQuery serves them. */
  values(): Readonly<Record<string, ParamValue>>;
  setFeedbackTarget(target: Endpoint | null): void;
  /** A JSON text frame to every page (several screens: the walk lane's state). */
  sendToPages(text: string): void;
  /** For a host server: answers OSCQuery GETs, returns false for anything else. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
  /** Frees every socket, timer and listener the bridge made. */
  close(): Promise<void>;
}

/** A page WebSocket that stops reading (a hung tab) must not make the bridge buffer without end. */
const PAGE_BACKPRESSURE_BYTES = 1 << 20;
/** Asked of the kernel for each UDP socket (capped by net.core.rmem_max): a desk's burst waits here, not dropped. */
const RECV_BUFFER_BYTES = 1 << 20;

/**
 * The Node side of the desk: UDP in ⇄ WebSocket to the page (which owns the bus and routes), UDP feedback out,
 * OSCQuery over HTTP/WS. Sockets are Node's dgram and ws; OSC bytes are checked with osc-js. The page decodes and
 * routes; the bridge only checks, coalesces per address and carries, so it has no state to lose.
 */
export async function startBridge(options: BridgeOptions = {}): Promise<BridgeHandle> {
  const o = resolveOptions(options);
  const counters: OscStats = emptyStats();
  const drops = new DropCounter(counters, (e) => o.logger.warn('osc-drop', { reason: e.reason, from: e.from ?? null, address: e.address, detail: e.detail, suppressed: e.suppressed }));
  let forwarded = 0;
  let feedbackSent = 0;
  let feedback: Endpoint | null = o.feedback;
  let values: Record<string, ParamValue> = {};
  const pages = new Set<WebSocket>();
  const specByName = new Map<string, ParamSpec>(o.specs.map((sp) => [sp.name, sp]));
  let pageValuesClamped = 0;
  const queue = new Coalescer<Uint8Array>(o.maxQueue);
  let bundleSeq = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let flushImmediate: ReturnType<typeof setImmediate> | null = null;
  let closed = false;

  const drop = (reason: DropReason, address: string, detail: string, from?: string): void => drops.drop(reason, address, detail, Date.now(), from);

  const flush = (): void => {
    flushTimer = null;
    flushImmediate = null;
    queue.drain((bytes) => {
      // The leading screen's lane hears the desk exactly as the page does: checked, allowed, coalesced.
      o.onForward?.(bytes);
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
    if (!allowed(o.allow, from)) return drop('not-allowed', '', 'sender not in osc.allow', from);
    const c = checkPacket(bytes, o.maxPacketBytes);
    if (!c.ok) return drop(c.reason, c.address ?? '', c.detail, from);
    // Latest per address: a fader flood becomes one packet per flush. Bundles keep their own slot (timetags).
    const key = c.kind === 'message' ? `m:${c.address}${c.types}` : `b:${bundleSeq++}`;
    const r = queue.offer(key, bytes);
    if (r === 'replaced') counters.coalesced++;
    else if (r === 'full') return drop('rate-limit', c.kind === 'message' ? c.address : '', `more than ${o.maxQueue} packets queued`, from);
    if (flushTimer !== null || flushImmediate !== null || closed) return;
    // flushMs 0: flush after this turn of the event loop (every datagram read in it coalesced, least latency).
    if (o.flushMs <= 0) flushImmediate = setImmediate(flush);
    else flushTimer = setTimeout(flush, o.flushMs);
  };

  const oscQuery = new OscQueryService({
    specs: o.specs,
    name: o.name,
    values: () => values,
    udpHosts: o.udpHosts,
    udpPort: () => udpPort,
    httpPort: () => httpPort ?? 0,
    onOsc: ingest,
  });

  // One socket per bound address, all on one port. Feedback goes out of the first of the feedback host's family, so a
  // desk that replies to the sender's port reaches us too.
  const onUdp = (msg: Buffer, rinfo: RemoteInfo): void => ingest(msg, rinfo.address);
  const udps: Socket[] = [];
  let udpPort = o.udpPort;
  try {
    for (const host of o.udpHosts) {
      // Beside an IPv4 address, '::' must not take the IPv4 side of the port too (dual-stack is Linux's default).
      const ipv6Only = host.includes(':') && o.udpHosts.some((h) => !h.includes(':'));
      const sock = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER_BYTES, ipv6Only });
      udps.push(sock);
      sock.on('message', onUdp);
      sock.on('error', (e) => o.logger.warn('osc-udp-error', { error: e.message, address: host }));
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind({ address: host, port: udpPort, exclusive: true }, () => {
          sock.off('error', reject);
          resolve();
        });
      });
      // Port 0: the first socket's choice is every socket's port.
      udpPort = sock.address().port;
    }
  } catch (e) {
    for (const sock of udps) sock.close();
    throw new Error(`OSC: cannot bind UDP ${o.udpHosts.join(', ')} port ${o.udpPort}: ${errorMessage(e)}`, { cause: e });
  }
  const feedbackSocket = (host: string): Socket => udps.find((u) => (u.address().family === 'IPv6') === host.includes(':')) ?? (udps[0] as Socket);
  const sendFeedback = (bytes: Uint8Array): void => {
    if (!feedback) return;
    const c = checkPacket(bytes, o.maxPacketBytes);
    if (!c.ok) return drop(c.reason, '', `feedback from the page: ${c.detail}`);
    feedbackSocket(feedback.host).send(bytes, feedback.port, feedback.host, (err) => {
      if (err) o.logger.warn('osc-feedback-error', { error: err.message });
    });
    feedbackSent++;
  };

  const pageWss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const queryWss = new WebSocketServer({ noServer: true, maxPayload: o.maxPacketBytes });
  // Other screens of the piece (kiosk/screens): their JSON state messages, on the same checked upgrade path.
  const peerWss = new WebSocketServer({ noServer: true, maxPayload: o.peers?.maxPayload ?? 0 });
  const peerSockets = new Set<WebSocket>();

  const warn = limitedWarn(o.logger);
  pageWss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    pages.add(ws);
    const from = req.socket.remoteAddress ?? 'unknown';
    const welcome: BridgeToPage = { type: 'welcome', protocol: WS_PROTOCOL_VERSION, udpPort, feedback };
    ws.send(JSON.stringify(welcome));
    o.onPageConnected?.((text) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    });
    // Whatever a page sends, and whatever the listeners (screens) do with it, the bridge stays up: a throw is logged.
    ws.on('message', guarded((data: RawData, isBinary: boolean) => {
      const bytes = toBytes(data);
      if (isBinary) return sendFeedback(bytes);
      const p = parsePageMessage(Buffer.from(bytes).toString('utf8'));
      if (!p.ok) {
        // A leading screen counts and logs its page's malformed layer reports itself (/health screens.pageLayers).
        if (p.type === 'layers' && o.onPageLayers) return o.onPageLayers({ ok: false, error: p.error });
        return warn('osc-page-message', { error: p.error, from });
      }
      if (p.message.type === 'values') {
        // Only catalogue names, each checked as the desk path checks it (coerce: in range, right type): the mirror is
        // what OSCQuery serves, and a page must not make it report walk/speed 1e9.
        const known: Record<string, ParamValue> = {};
        for (const [k, v] of Object.entries(p.message.values)) {
          const spec = specByName.get(k);
          if (!spec) continue;
          const c = coerce(spec, v);
          if (!c.ok) {
            drop('wrong-type', `/sitter/${k}`, `page value: expected ${c.expected}, got ${c.got}`, from);
            continue;
          }
          if (c.clamped) {
            pageValuesClamped++;
            warn('osc-page-clamped', { address: `/sitter/${k}`, got: describeGot(v), kept: c.value, from });
          }
          known[k] = c.value;
        }
        values = p.message.full ? known : { ...values, ...known };
        oscQuery.valuesChanged(known);
      } else if (p.message.type === 'layers' && o.onPageLayers) {
        // Names, values and rate are checked where they are counted: kiosk/screens/page-layers.ts.
        o.onPageLayers({ ok: true, source: p.message.source, values: p.message.values });
      } else if (p.message.type === 'tempo' && o.onPageTempo) {
        o.onPageTempo(p.message.tempo);
      }
    }, (e) => warn('osc-page-message', { error: errorMessage(e), from })));
    ws.on('close', () => pages.delete(ws));
    ws.on('error', () => ws.terminate());
  });

  /**
   * On our own server: the page at wsPath, OSCQuery clients anywhere else. On a host's: the page only (the host
   * answers the rest). Host, Origin and the allow-list are checked for every upgrade the bridge takes.
   */
  const upgrade = (own: boolean) => (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const target = parseRequestTarget(req);
    if (!target) {
      // On a host's server the host's own handlers may still claim it; on ours nobody else will.
      if (own) refuseUpgrade(socket, 400, 'Bad Request');
      warn('bridge-bad-request', { kind: 'upgrade', target: describeTarget(req.url), from: req.socket.remoteAddress ?? null });
      return;
    }
    const isPage = target.path === o.wsPath;
    const isPeer = o.peers !== null && target.path === o.peers.path;
    if (!isPage && !isPeer && !own) return;
    const remote = req.socket.remoteAddress;
    const what = isPage ? 'page' : isPeer ? 'screen' : 'OSCQuery';
    const host = o.origins.checkHost(req.headers.host);
    const origin = host.ok ? o.origins.checkOrigin(req.headers.origin, req.headers.host) : host;
    if (!origin.ok) {
      warn('ws-refused', { socket: what, status: origin.status, reason: origin.reason, from: remote ?? null });
      refuseUpgrade(socket, origin.status, origin.status === 421 ? 'Misdirected Request' : 'Forbidden');
      return;
    }
    // A page receives every desk message and may send to the desk; a screen follows the show: the allow-list holds.
    if (!allowed(o.allow, remote)) {
      drop('not-allowed', '', `${what} WebSocket`, remote);
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    const wss = isPage ? pageWss : isPeer ? peerWss : queryWss;
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (isPage) pageWss.emit('connection', ws, req);
      else if (isPeer) {
        peerSockets.add(ws);
        ws.on('close', () => peerSockets.delete(ws));
        ws.on('error', () => ws.terminate());
        o.peers?.onConnection(ws, remote);
      } else oscQuery.addClient(ws, remote);
    });
  };
  const upgradeFailed = (e: unknown, req: IncomingMessage, socket: Duplex): void => {
    o.logger.warn('bridge-upgrade-error', { target: describeTarget(req.url), error: errorMessage(e) });
    refuseUpgrade(socket, 400, 'Bad Request');
  };

  const servers: Server[] = [];
  let httpPort: number | null = null;
  const ownUpgrade = guarded(upgrade(true), upgradeFailed);
  const hostUpgrade = guarded(upgrade(false), upgradeFailed);
  const onHttp = guarded(
    (req: IncomingMessage, res: ServerResponse) => {
      // OSCQuery is read-only, but a rebinding page could still read the show's values through it.
      const host = o.origins.checkHost(req.headers.host);
      if (!host.ok) {
        warn('bridge-http-refused', { status: host.status, reason: host.reason, from: req.socket.remoteAddress ?? null });
        res.writeHead(host.status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }).end(JSON.stringify({ error: host.reason }));
        return;
      }
      if (!oscQuery.handleHttp(req, res)) res.writeHead(404, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }).end('{"error":"not found"}');
    },
    (e, req, res) => {
      o.logger.warn('bridge-http-error', { target: describeTarget(req.url), error: errorMessage(e) });
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad request"}');
      else res.destroy();
    },
  );
  if (o.http) {
    let port = o.http.port;
    const hosts = o.http.hosts;
    try {
      for (const address of hosts) {
        const s = createServer(onHttp);
        s.on('upgrade', ownUpgrade);
        servers.push(s);
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen({ port, host: address, ipv6Only: address.includes(':') && hosts.some((h) => !h.includes(':')) }, () => {
            s.off('error', reject);
            resolve();
          });
        });
        port = (s.address() as AddressInfo).port;
      }
    } catch (e) {
      for (const u of udps) u.close();
      for (const s of servers) s.close();
      throw new Error(`OSCQuery: cannot listen on ${o.http.hosts.join(', ')} port ${o.http.port}: ${errorMessage(e)}`, { cause: e });
    }
    httpPort = port;
  }
  o.attach?.on('upgrade', hostUpgrade);

  // Sampled once a second for the rates; each sample also goes to the pages for the HUD.
  const meter = new BridgeMeter(() => ({ received: counters.received, forwarded, dropped: counters.dropped }), udpPort, Date.now());
  const counterSnapshot = (): BridgeCounters => meter.snapshot(Date.now());
  const sampler = setInterval(() => {
    meter.sample(Date.now());
    if (pages.size === 0) return;
    const text = JSON.stringify({ type: 'stats', stats: counterSnapshot() } satisfies BridgeToPage);
    for (const ws of pages) if (ws.readyState === ws.OPEN && ws.bufferedAmount < PAGE_BACKPRESSURE_BYTES) ws.send(text);
  }, SAMPLE_MS);
  sampler.unref();

  const bound = o.udpHosts.map((h) => (h.includes(':') ? `[${h}]:${udpPort}` : `${h}:${udpPort}`));
  o.logger.info('osc-bridge-listening', {
    udp: bound,
    oscquery: httpPort !== null ? o.http?.hosts.map((h) => `http://${h.includes(':') ? `[${h}]` : h}:${httpPort}/`) : null,
    page: o.attach ? o.wsPath : null,
    feedback: feedback ? `${feedback.host}:${feedback.port}` : null,
    allow: o.allow.length ? o.allow.map((r) => r.text) : 'any',
    allowOrigins: o.origins.allowOrigins,
  });

  return {
    ports: { udp: udpPort, http: httpPort },
    stats: () => {
      const c = counterSnapshot();
      return {
        received: counters.received,
        forwarded,
        coalesced: counters.coalesced,
        feedbackSent,
        pages: pages.size,
        oscQueryClients: oscQuery.clientCount,
        dropped: { ...counters.dropped },
        pageValuesClamped,
        receivedPerSecond: c.receivedPerSecond,
        forwardedPerSecond: c.forwardedPerSecond,
        kernel: { drops: c.kernelDrops, source: c.kernelDropsSource },
        udpBound: bound,
      };
    },
    counters: counterSnapshot,
    values: () => values,
    sendToPages: (text) => {
      for (const ws of pages) if (ws.readyState === ws.OPEN && ws.bufferedAmount < PAGE_BACKPRESSURE_BYTES) ws.send(text);
    },
    setFeedbackTarget: (t) => {
      feedback = t;
    },
    handleHttp: (req, res) => oscQuery.handleHttp(req, res),
    close: () => closeAll(o, { udps, onUdp, servers, pageWss, queryWss, oscQuery, pages, ownUpgrade, hostUpgrade }, () => {
      for (const ws of peerSockets) ws.terminate();
      peerSockets.clear();
      peerWss.close();
      closed = true;
      clearInterval(sampler);
      if (flushTimer !== null) clearTimeout(flushTimer);
      if (flushImmediate !== null) clearImmediate(flushImmediate);
      flushTimer = null;
      flushImmediate = null;
      queue.clear();
    }),
  };
}

interface Owned {
  readonly udps: readonly Socket[];
  readonly onUdp: (msg: Buffer, rinfo: RemoteInfo) => void;
  readonly servers: readonly Server[];
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
    ...x.udps.map(
      (u) =>
        new Promise<void>((r) => {
          u.off('message', x.onUdp);
          u.close(() => r());
        }),
    ),
    ...x.servers.map(
      (s) =>
        new Promise<void>((r) => {
          s.off('upgrade', x.ownUpgrade);
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  ]);
}
