import type { WebSocket } from 'ws';
import type { Server } from 'node:http';
import { matchesAny, parseRanges, type AddressRange } from '../net/address-match.ts';
import { OriginPolicy, sameOriginOnly } from '../net/origin-policy.ts';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import type { ParamSpec, ParamValue } from '../../src/core/params/types.ts';
import type { TempoState } from '../../src/core/tempo/tempo.ts';

/** Structurally the kiosk server's Logger (kiosk/server/log.ts), so it can be passed as is. */
export interface BridgeLogger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface BridgeOptions {
  /**
   * Where desks send OSC. Default 0.0.0.0:9000 (every interface: a desk on the LAN must reach it). `hosts` binds
   * each address (the show's `osc.bind`), all on one port; `host` is the one-address form.
   */
  readonly udp?: { readonly host?: string; readonly hosts?: readonly string[]; readonly port?: number };
  /** Where feedback goes (the desk's incoming port); null or absent sends none. Changeable at run time. */
  readonly feedback?: Endpoint | null;
  /**
   * The bridge's own HTTP server: OSCQuery (GET /, /?HOST_INFO, /sitter/…), its WebSocket (LISTEN/IGNORE), and
   * the page's WebSocket at `wsPath`. Default 0.0.0.0:5678 (libossia's OSCQuery default). false: no own server.
   */
  readonly http?: { readonly host?: string; readonly hosts?: readonly string[]; readonly port?: number } | false;
  /** Also accept the page's WebSocket at `wsPath` on this existing server (the kiosk's, same origin as the page). */
  readonly attach?: Server;
  readonly wsPath?: string;
  /**
   * Senders allowed to control the show (UDP, OSCQuery WebSocket, page socket): addresses or CIDR ranges, IPv4 also
   * matching its v4-mapped IPv6 form. 127.0.0.1 and ::1 always are. Empty: all.
   */
  readonly allow?: readonly string[];
  /** Host and Origin checks for the WebSocket upgrades and OSCQuery's HTTP (kiosk/net/origin-policy.ts). */
  readonly origins?: OriginPolicy;
  /** Bigger packets are dropped. UDP can carry 65,507 bytes; desks send a few hundred. */
  readonly maxPacketBytes?: number;
  /**
   * Incoming packets are coalesced per address and forwarded to the page. 0 (default): at the end of the
   * event-loop turn that read them — every datagram read in one turn is coalesced, and a desk's move reaches the
   * page in ~0.3 ms here. n > 0: n milliseconds after the first one (more coalescing, n ms more latency).
   * bench/node/osc.bench.ts measures both; the page coalesces again per frame whatever this is.
   */
  readonly flushMs?: number;
  /** Distinct addresses (and bundles) held between two flushes; more are dropped as 'rate-limit'. */
  readonly maxQueue?: number;
  /** OSCQuery HOST_INFO NAME. */
  readonly name?: string;
  /** The parameters OSCQuery describes; the catalogue by default. */
  readonly specs?: readonly ParamSpec[];
  readonly logger?: BridgeLogger;
  /** Every desk packet as it goes on to the page(s) (checked, allowed, coalesced), pages or not: the leading screen's lane. */
  readonly onForward?: (bytes: Uint8Array) => void;
  /** Other screens of the piece connect here (WebSocket at `path`, same Host/Origin/allow checks as the page). */
  readonly peers?: {
    readonly path: string;
    /** A larger frame closes that socket (1009) before it is read whole. */
    readonly maxPayload: number;
    onConnection(ws: WebSocket, remote: string | undefined): void;
  } | null;
  /** A page connected: `send` reaches that page only (several screens: the full walk state it needs first). */
  readonly onPageConnected?: (send: (text: string) => void) => void;
  /**
   * The page's cue- and pose-layer reports (several screens: the leader's cue engine and visitors, for the followers),
   * malformed ones included so the screens node can count them; names and values are its to check.
   */
  readonly onPageLayers?: (report: PageLayersReport) => void;
  /** The page's tempo reports (several screens: the leader's beat for every lane), checked by the parser. */
  readonly onPageTempo?: (tempo: TempoState) => void;
}

/** A page's `layers` message as the bridge read it: checked in shape only (source, an object of plain values). */
export type PageLayersReport =
  | { readonly ok: true; readonly source: 'cue' | 'pose'; readonly values: Readonly<Record<string, ParamValue | null>> }
  | { readonly ok: false; readonly error: string };

export interface ResolvedOptions {
  /** Every address the UDP port is bound on (at least one). */
  readonly udpHosts: readonly string[];
  readonly udpPort: number;
  readonly feedback: Endpoint | null;
  readonly http: { readonly hosts: readonly string[]; readonly port: number } | null;
  readonly attach: Server | null;
  readonly wsPath: string;
  readonly allow: readonly AddressRange[];
  readonly origins: OriginPolicy;
  readonly maxPacketBytes: number;
  readonly flushMs: number;
  readonly maxQueue: number;
  readonly name: string;
  readonly specs: readonly ParamSpec[];
  readonly logger: BridgeLogger;
  readonly onForward: ((bytes: Uint8Array) => void) | null;
  readonly peers: NonNullable<BridgeOptions['peers']> | null;
  readonly onPageConnected: ((send: (text: string) => void) => void) | null;
  readonly onPageLayers: ((report: PageLayersReport) => void) | null;
  readonly onPageTempo: ((tempo: TempoState) => void) | null;
}

export const DEFAULT_UDP_PORT = 9000;
export const DEFAULT_OSCQUERY_PORT = 5678;
export const DEFAULT_WS_PATH = '/osc';

const SILENT: BridgeLogger = { info: () => {}, warn: () => {} };

function checkPort(what: string, p: number): number {
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new RangeError(`${what}: expected a port 0..65535, got ${p}`);
  return p;
}

/** Defaults merged once, at the edge; everything after sees complete, checked options. */
export function resolveOptions(o: BridgeOptions): ResolvedOptions {
  const maxPacketBytes = o.maxPacketBytes ?? 8192;
  if (!(maxPacketBytes >= 16)) throw new RangeError(`maxPacketBytes: expected at least 16, got ${maxPacketBytes}`);
  const wsPath = o.wsPath ?? DEFAULT_WS_PATH;
  if (!wsPath.startsWith('/')) throw new RangeError(`wsPath: expected a path starting with "/", got ${JSON.stringify(wsPath)}`);
  if (o.feedback) checkPort('feedback.port', o.feedback.port);
  const hosts = (what: string, h: { readonly host?: string; readonly hosts?: readonly string[] } | undefined): readonly string[] => {
    const list = h?.hosts ?? [h?.host ?? '0.0.0.0'];
    if (list.length === 0) throw new RangeError(`${what}: expected at least one address to bind`);
    return [...new Set(list)];
  };
  return {
    udpHosts: hosts('udp.hosts', o.udp),
    udpPort: checkPort('udp.port', o.udp?.port ?? DEFAULT_UDP_PORT),
    feedback: o.feedback ?? null,
    http: o.http === false ? null : { hosts: hosts('http.hosts', o.http), port: checkPort('http.port', o.http?.port ?? DEFAULT_OSCQUERY_PORT) },
    attach: o.attach ?? null,
    wsPath,
    allow: parseRanges(o.allow ?? []),
    origins: o.origins ?? sameOriginOnly(),
    maxPacketBytes,
    flushMs: o.flushMs ?? 0,
    maxQueue: o.maxQueue ?? 1024,
    name: o.name ?? 'Sitter',
    specs: o.specs ?? PARAMS,
    logger: o.logger ?? SILENT,
    onForward: o.onForward ?? null,
    peers: o.peers ?? null,
    onPageConnected: o.onPageConnected ?? null,
    onPageLayers: o.onPageLayers ?? null,
    onPageTempo: o.onPageTempo ?? null,
  };
}

/** The page's own host is always let in; other loopback addresses (127.0.0.2…) follow the list like any sender. */
const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

/** The allow-list test: loopback always passes (the page and local tools), then the list if it has entries. */
export function allowed(allow: readonly AddressRange[], address: string | undefined): boolean {
  if (address === undefined) return false;
  if (LOOPBACK.test(address) || allow.length === 0) return true;
  return matchesAny(address, allow);
}
