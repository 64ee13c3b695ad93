import { joinIndex, joinKey, type Reporter } from '../issues.ts';
import { readArray, readNumber, readObject, readString, PORT } from '../read.ts';
import type { OscConfig } from '../types.ts';

/**
 * Default: port 9000 on loopback only. A desk on the LAN needs `"bind": ["0.0.0.0"]` and should get an allow-list;
 * opening a gallery machine's control port to the whole network must be a decision written in the show.
 */
export const DEFAULT_OSC: OscConfig = { port: 9000, bind: ['127.0.0.1'], allow: [], allowOrigins: [], feedback: null };
const DEFAULT_FEEDBACK = { port: 9001, rateHz: 30 };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Loose on purpose (a full IPv6 grammar is long); the socket refuses what slips through, at start-up. */
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isAddress(s: string): boolean {
  return IPV4.test(s) || IPV6.test(s);
}

/** An address or a CIDR range: "192.168.1.20", "192.168.1.0/24", "::1", "fe80::/10". */
export function isAddressOrRange(s: string): boolean {
  const [address = '', bits, ...rest] = s.split('/');
  if (rest.length > 0 || !isAddress(address)) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (IPV4.test(address) ? 32 : 128);
}

/**
 * A web origin exactly as a browser serialises it in `Origin`: lower-case scheme and host, the port only when it is
 * not the scheme's default, no path or trailing slash — so the run-time comparison is a plain string match.
 */
export function isWebOrigin(s: string): boolean {
  const m = /^(https?):\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)(:(\d{1,5}))?$/.exec(s);
  if (!m) return false;
  const host = m[2] as string;
  if (host.startsWith('[') ? !IPV6.test(host.slice(1, -1)) : /^[\d.]+$/.test(host) && !IPV4.test(host)) return false;
  if (m[7] === undefined) return true;
  const port = Number(m[7]);
  return port >= 1 && port <= 65535 && String(port) === m[7] && port !== (m[1] === 'https' ? 443 : 80);
}

const WILDCARD = new Set(['0.0.0.0', '::']);

function readAddressList(
  r: Reporter, raw: unknown, path: string, expected: string, test: (s: string) => boolean, fallback: readonly string[],
): readonly string[] {
  const list = readArray(r, raw, path, `a list of ${expected}`);
  if (list === undefined) return fallback;
  const out: string[] = [];
  list.forEach((item, i) => {
    if (typeof item === 'string' && test(item)) out.push(item);
    else r.expected(joinIndex(path, i), expected, item);
  });
  return out;
}

export function readOsc(r: Reporter, raw: unknown, path: string): OscConfig {
  const o = readObject(r, raw, path, ['port', 'bind', 'allow', 'allowOrigins', 'feedback']) ?? {};
  const at = (key: string): string => joinKey(path, key);
  const port = readNumber(r, o.port, at('port'), PORT, DEFAULT_OSC.port);
  const bind = readAddressList(r, o.bind, at('bind'), 'an IP address', isAddress, DEFAULT_OSC.bind);
  if (bind.length === 0 && Array.isArray(o.bind) && o.bind.length === 0) r.expected(at('bind'), 'at least one IP address', o.bind);
  // Every listed address gets its own socket on the one port: a wildcard already holds the port on every address of
  // its family, so another address of that family beside it could never be bound.
  bind.forEach((a, i) => {
    if (bind.indexOf(a) !== i) r.add(joinIndex(at('bind'), i), `${a} is listed twice`);
    else if (WILDCARD.has(a) && bind.some((b) => b !== a && b.includes(':') === a.includes(':'))) {
      r.add(joinIndex(at('bind'), i), `${a} already covers every ${a.includes(':') ? 'IPv6' : 'IPv4'} address; list it alone`);
    }
  });
  const allow = readAddressList(r, o.allow, at('allow'), 'an IP address or CIDR range', isAddressOrRange, DEFAULT_OSC.allow);
  const allowOrigins = readAddressList(r, o.allowOrigins, at('allowOrigins'), 'a web origin like "http://192.168.1.30:8000" (no path)', isWebOrigin, DEFAULT_OSC.allowOrigins);
  let feedback: OscConfig['feedback'] = null;
  if (o.feedback !== undefined && o.feedback !== null) {
    const f = readObject(r, o.feedback, at('feedback'), ['host', 'port', 'rateHz']);
    if (f !== undefined) {
      const fAt = (key: string): string => joinKey(at('feedback'), key);
      if (f.host === undefined) r.add(fAt('host'), 'missing; expected the desk\'s IP address or host name');
      feedback = {
        host: readString(r, f.host, fAt('host'), 'an IP address or host name', '127.0.0.1', (s) => isAddress(s) || HOSTNAME.test(s)),
        port: readNumber(r, f.port, fAt('port'), PORT, DEFAULT_FEEDBACK.port),
        rateHz: readNumber(r, f.rateHz, fAt('rateHz'), { expected: 'a rate in Hz from 1 to 200', min: 1, max: 200 }, DEFAULT_FEEDBACK.rateHz),
      };
    }
  }
  return { port, bind, allow, allowOrigins, feedback };
}
