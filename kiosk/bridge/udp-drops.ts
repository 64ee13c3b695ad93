import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Datagrams the kernel threw away because the socket's receive buffer was full: under a flood the bridge never sees
 * them, so its own counters cannot tell. Linux keeps a per-socket count in the last column of /proc/net/udp{,6}
 * ("drops"), found by the socket's inode (from /proc/self/fd); `source: 'socket'` is that, summed over our sockets
 * on the given ports. Where no such line is found, /proc/net/snmp's `Udp: RcvbufErrors` is used instead: it counts
 * every UDP socket in the network namespace, so `source: 'system'` says so. Elsewhere (not Linux): null, 'none'.
 */
export interface KernelDrops {
  readonly drops: number | null;
  readonly source: 'socket' | 'system' | 'none';
}

function ourSocketInodes(procRoot: string): Set<string> {
  const out = new Set<string>();
  const dir = join(procRoot, 'self', 'fd');
  let fds: string[];
  try {
    fds = readdirSync(dir);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(join(dir, fd)));
      if (m) out.add(m[1] as string);
    } catch {
      // The fd closed between the listing and the read.
    }
  }
  return out;
}

/** Sums the drops column of our sockets bound to `ports` in a /proc/net/udp-format text; null if none is listed. */
export function socketDrops(text: string, ports: ReadonlySet<number>, inodes: ReadonlySet<string>): number | null {
  let sum: number | null = null;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retr uid timeout inode ref pointer drops
    if (f.length < 13) continue;
    const port = Number.parseInt((f[1] ?? '').split(':')[1] ?? '', 16);
    if (!ports.has(port) || !inodes.has(f[9] as string)) continue;
    const drops = Number(f[f.length - 1]);
    if (Number.isFinite(drops)) sum = (sum ?? 0) + drops;
  }
  return sum;
}

/** `Udp: … RcvbufErrors …` from a /proc/net/snmp-format text, or null. */
export function rcvbufErrors(text: string): number | null {
  const lines = text.split('\n').filter((l) => l.startsWith('Udp:'));
  if (lines.length < 2) return null;
  const names = (lines[0] as string).trim().split(/\s+/);
  const values = (lines[1] as string).trim().split(/\s+/);
  const i = names.indexOf('RcvbufErrors');
  if (i < 0) return null;
  const v = Number(values[i]);
  return Number.isFinite(v) ? v : null;
}

export function readKernelDrops(ports: readonly number[], procRoot = '/proc'): KernelDrops {
  const portSet = new Set(ports);
  const inodes = ourSocketInodes(procRoot);
  let sum: number | null = null;
  for (const file of ['udp', 'udp6']) {
    try {
      const d = socketDrops(readFileSync(join(procRoot, 'net', file), 'utf8'), portSet, inodes);
      if (d !== null) sum = (sum ?? 0) + d;
    } catch {
      // No such table (no IPv6, or not Linux).
    }
  }
  if (sum !== null) return { drops: sum, source: 'socket' };
  try {
    const v = rcvbufErrors(readFileSync(join(procRoot, 'net', 'snmp'), 'utf8'));
    if (v !== null) return { drops: v, source: 'system' };
  } catch {
    // Not Linux.
  }
  return { drops: null, source: 'none' };
}
