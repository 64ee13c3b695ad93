import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A request's target, parsed: the decoded path and the raw query (without '?'). */
export interface RequestTarget {
  readonly path: string;
  readonly query: string;
}

/**
 * Parses `req.url` without ever throwing. Anyone who can reach a port can send any bytes as a request target
 * (`/%`, `http://[`, a 64 KB path): `new URL()` and `decodeURIComponent()` throw on them, and a throw in a Node
 * 'request' or 'upgrade' listener ends the whole process — the kiosk server, the OSC bridge and the page's link
 * with them. Every handler goes through this and answers 400 on null.
 */
export function parseRequestTarget(req: Pick<IncomingMessage, 'url'>): RequestTarget | null {
  try {
    const url = new URL(req.url ?? '/', 'http://host');
    return { path: decodeURIComponent(url.pathname), query: url.search.slice(1) };
  } catch {
    return null;
  }
}

/** Runs a listener and turns any throw into `onError`, so one bad request can never reach process level. */
export function guarded<A extends unknown[]>(listener: (...args: A) => void, onError: (error: unknown, ...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      listener(...args);
    } catch (e) {
      try {
        onError(e, ...args);
      } catch {
        // The error path itself failed (a socket already gone): nothing more to do for this request.
      }
    }
  };
}

/** Short, printable form of an untrusted request target for logs. */
export function describeTarget(url: string | undefined): string {
  const s = JSON.stringify(url ?? '');
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

/** Answers a refused WebSocket upgrade with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}
