/**
 * IP addresses and CIDR ranges as 128-bit numbers, so `osc.allow` means at run time what validation accepted:
 * "127.0.0.0/8" admits 127.0.0.2, "fe80::/10" a link-local desk, and an IPv4 sender seen by a dual-stack socket as
 * "::ffff:192.168.1.20" matches "192.168.1.0/24" (IPv4 is held in its v4-mapped form, ::ffff:a.b.c.d, throughout).
 */

export interface AddressRange {
  /** As written in the show, for logs. */
  readonly text: string;
  readonly base: bigint;
  readonly mask: bigint;
}

const ALL = (1n << 128n) - 1n;
const V4_MAPPED = 0xffffn << 32n;

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = (n << 8n) | BigInt(Number(p));
  }
  return n;
}

function parseV6(s: string): bigint | null {
  let text = s;
  let tail: bigint[] = [];
  // A dotted IPv4 tail (::ffff:1.2.3.4, ::1.2.3.4) is two 16-bit groups.
  const dot = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dot) {
    const v4 = parseV4(dot[2] as string);
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    text = (dot[1] as string).endsWith('::') ? (dot[1] as string) : (dot[1] as string).slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): bigint[] | null => {
    if (h === '') return [];
    const out: bigint[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(BigInt(`0x${g}`));
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const rest = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !rest) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const all = [...head, ...Array<bigint>(8 - given).fill(0n), ...rest, ...tail];
  return all.reduce((n, g) => (n << 16n) | g, 0n);
}

/** An address as a 128-bit number (IPv4 v4-mapped), or null. A zone (`%eth0`) is ignored. */
export function parseAddress(s: string): bigint | null {
  const a = s.replace(/%.*$/, '');
  const v4 = parseV4(a);
  if (v4 !== null) return V4_MAPPED | v4;
  return a.includes(':') ? parseV6(a) : null;
}

/** "192.168.1.0/24", "fe80::/10" or a single address; null if it is neither. */
export function parseRange(s: string): AddressRange | null {
  const [addr = '', bits, ...more] = s.split('/');
  if (more.length > 0) return null;
  const base = parseAddress(addr);
  if (base === null) return null;
  const isV4 = parseV4(addr.replace(/%.*$/, '')) !== null;
  let prefix = 128;
  if (bits !== undefined) {
    if (!/^\d{1,3}$/.test(bits)) return null;
    const b = Number(bits);
    if (b > (isV4 ? 32 : 128)) return null;
    prefix = isV4 ? 96 + b : b;
  }
  const mask = prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
  return { text: s, base: base & mask, mask };
}

export function inRange(address: bigint, range: AddressRange): boolean {
  return (address & range.mask) === range.base;
}

/** Parses a list of ranges; throws naming the first that is not one (the show validated them already). */
export function parseRanges(list: readonly string[]): AddressRange[] {
  return list.map((s) => {
    const r = parseRange(s);
    if (!r) throw new RangeError(`allow: expected an IP address or CIDR range, got ${JSON.stringify(s)}`);
    return r;
  });
}

export function matchesAny(address: string, ranges: readonly AddressRange[]): boolean {
  const a = parseAddress(address);
  return a !== null && ranges.some((r) => inRange(a, r));
}
