import { hostname as osHostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/**
 * Who may drive the show from a browser. Any web page the kiosk's browser (or a browser on the LAN) opens can send
 * requests to the kiosk's ports: fetch with `no-cors`, a form POST, `new WebSocket(…)`. Browsers always say where
 * the page came from (`Origin`) on those, and always send the name they connected to (`Host`), so:
 * - `Host` must be a name this machine answers to. An IP literal always is (no DNS was involved); names are
 *   localhost, the machine's host name and its `.local` mDNS name. Anything else is a DNS-rebinding attempt
 *   (evil.example resolving to 127.0.0.1): refused before any handler runs.
 * - `Origin`, when present, must be the page's own: the same host:port the request came to, or the kiosk page's
 *   port on one of this machine's names or addresses (the page's socket to the OSCQuery port), or an origin the show
 *   lists in `osc.allowOrigins` (a desk tool served from elsewhere). `Origin: null` (sandboxed frames, file://) never
 *   passes. A request without `Origin` is not from a browser page (curl, an OSCQuery desk): it passes, as any local
 *   program could do the same over UDP.
 */
export interface OriginPolicyOptions {
  /** The port the kiosk page is served from, once known; null when there is no page server (a bridge alone). */
  readonly pagePort: () => number | null;
  /** Origins allowed besides the page's own, exactly as the show lists them ("http://192.168.1.30:8000"). */
  readonly allowOrigins?: readonly string[];
  /** Seams for tests; default: the running machine's. */
  readonly hostname?: string;
  readonly localAddresses?: () => readonly string[];
}

export type OriginVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 403 | 421; readonly reason: string };

const OK: OriginVerdict = { ok: true };

/** Lower-case host name without IPv6 brackets, and the port as given ('' when absent); null if it is no host. */
export function splitHost(hostHeader: string): { readonly name: string; readonly port: string } | null {
  // Only what a Host header may hold: no userinfo, path, query, spaces. URL parsing would accept "a@b" or "a/b".
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(:\d{1,5})?$/.test(hostHeader)) return null;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!m) return null;
  return { name: (m[1] as string).replace(/^\[|\]$/g, '').toLowerCase(), port: m[2] ?? '' };
}

/** An origin in its serialised form (scheme://host[:port], default port left out); null if it is not one. */
export function normaliseOrigin(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin;
}

function machineAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.push(a.address.replace(/%.*$/, '').toLowerCase());
  return out;
}

export class OriginPolicy {
  private readonly names: ReadonlySet<string>;
  private readonly addresses: () => readonly string[];
  private readonly extra: ReadonlySet<string>;

  constructor(private readonly o: OriginPolicyOptions) {
    const host = (o.hostname ?? osHostname()).toLowerCase();
    this.names = new Set(['localhost', host, `${host}.local`]);
    this.addresses = o.localAddresses ?? machineAddresses;
    const extra = new Set<string>();
    for (const s of o.allowOrigins ?? []) {
      const n = normaliseOrigin(s);
      if (n === null) throw new RangeError(`allowOrigins: expected origins like "http://192.168.1.30:8000", got ${JSON.stringify(s)}`);
      extra.add(n);
    }
    this.extra = extra;
  }

  /** The show's extra origins, normalised (for the banner and logs). */
  get allowOrigins(): readonly string[] {
    return [...this.extra];
  }

  /** Is `name` (no port) one this machine answers to? */
  private isOurName(name: string): boolean {
    if (this.names.has(name)) return true;
    if (isIP(name) === 0) return false;
    if (name.startsWith('127.') || name === '::1' || name.startsWith('::ffff:127.')) return true;
    return this.addresses().includes(name.replace(/^::ffff:/, '')) || this.addresses().includes(name);
  }

  /** The DNS-rebinding check, for every request and upgrade. A request without Host (HTTP/1.0 tools) passes. */
  checkHost(hostHeader: string | undefined): OriginVerdict {
    if (hostHeader === undefined || hostHeader === '') return OK;
    const h = splitHost(hostHeader);
    if (!h) return { ok: false, status: 421, reason: `Host ${JSON.stringify(hostHeader.slice(0, 100))} is not a host name` };
    // Any IP literal: no name was resolved, so no rebinding; a browser page at that address is served by us.
    if (isIP(h.name) !== 0 || this.names.has(h.name)) return OK;
    return { ok: false, status: 421, reason: `Host ${JSON.stringify(hostHeader.slice(0, 100))} is not a name of this kiosk` };
  }

  /** The cross-origin check, for WebSocket upgrades and state-changing requests (after checkHost). */
  checkOrigin(originHeader: string | undefined, hostHeader: string | undefined): OriginVerdict {
    if (originHeader === undefined) return OK;
    const refuse = (why: string): OriginVerdict => ({ ok: false, status: 403, reason: `Origin ${JSON.stringify(originHeader.slice(0, 200))} ${why}` });
    if (originHeader === 'null') return refuse('is opaque (sandboxed or file page)');
    const origin = normaliseOrigin(originHeader);
    if (origin === null) return refuse('is not an http(s) origin');
    if (this.extra.has(origin)) return OK;
    const url = new URL(origin);
    const name = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    // Same origin as the request: the page served from this very server (Host checked already).
    if (hostHeader !== undefined && url.protocol === 'http:') {
      const h = splitHost(hostHeader);
      if (h && h.name === name && (h.port || '80') === port && this.checkHost(hostHeader).ok) return OK;
    }
    // The kiosk page on any of this machine's names, talking to another of our ports (OSCQuery's).
    const pagePort = this.o.pagePort();
    if (pagePort !== null && String(pagePort) === port && url.protocol === 'http:' && this.isOurName(name)) return OK;
    return refuse('is not the kiosk page nor in the show\'s osc.allowOrigins');
  }
}

/** For a bridge started without a page server or a show (tests, tools): same-origin and non-browser clients only. */
export function sameOriginOnly(): OriginPolicy {
  return new OriginPolicy({ pagePort: () => null });
}
