import type { LeaderAddress } from './types.ts';

/** "10.0.0.10:8080", "kiosk-a.local:8080" or "[fe80::1]:8080"; null when it is not one. */
export function parseHostPort(text: string): LeaderAddress | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: (m[1] ?? m[2]) as string, port };
}
