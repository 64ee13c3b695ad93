import type { IncomingMessage, ServerResponse } from 'node:http';
import OSC from 'osc-js';
import type { WebSocket } from 'ws';
import { parseRequestTarget } from '../net/request-target.ts';
import { DEFAULT_PREFIX } from '../../src/core/osc/address-space.ts';
import { OSCQUERY_ATTRIBUTES, buildOscQueryTree, findNode, hostInfo, type OscQueryNode } from '../../src/core/osc/oscquery.ts';
import type { ParamSpec, ParamValue } from '../../src/core/params/types.ts';

export interface OscQueryServiceOptions {
  readonly specs: readonly ParamSpec[];
  readonly name: string;
  /** The page's latest reported values (the bridge owns none). */
  readonly values: () => Readonly<Record<string, ParamValue>>;
  /** Every address the OSC UDP port is bound on. */
  readonly udpHosts: readonly string[];
  readonly udpPort: () => number;
  readonly httpPort: () => number;
  /** Binary frames from an OSCQuery client are OSC packets, handled like UDP input. */
  readonly onOsc: (bytes: Uint8Array, from: string | undefined) => void;
}

const ATTRS = new Set<string>(OSCQUERY_ATTRIBUTES);

/**
 * OSCQuery over HTTP and its WebSocket (Vidvox OSCQueryProposal): GET / the tree, GET /path a node, GET /path?ATTR
 * one attribute, GET /?HOST_INFO; WebSocket text frames {"COMMAND":"LISTEN"|"IGNORE","DATA":"/path"}, after which
 * value changes of that path arrive as binary OSC messages.
 */
export class OscQueryService {
  private readonly o: OscQueryServiceOptions;
  private readonly listeners = new Map<WebSocket, Set<string>>();
  private readonly specByPath: ReadonlyMap<string, ParamSpec>;

  constructor(options: OscQueryServiceOptions) {
    this.o = options;
    this.specByPath = new Map(options.specs.map((s) => [`${DEFAULT_PREFIX}/${s.name}`, s]));
  }

  get clientCount(): number {
    return this.listeners.size;
  }

  /** Answers OSCQuery GETs; returns false for requests that are not OSCQuery's (so a host server can go on). */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const target = parseRequestTarget(req);
    if (!target) return this.send(res, 400, { error: 'malformed request target' });
    const { path, query } = target;
    if (path !== '/' && path !== DEFAULT_PREFIX && !path.startsWith(`${DEFAULT_PREFIX}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return this.send(res, 405, { error: 'OSCQuery answers GET' });
    if (query === 'HOST_INFO') {
      const local = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
      // The address the client reached us on, when OSC listens there (or everywhere); else the first bound one.
      const hosts = this.o.udpHosts;
      const oscIp = hosts.includes(local) || hosts.some((h) => h === '0.0.0.0' || h === '::') ? local : (hosts[0] ?? local);
      return this.send(res, 200, hostInfo({ name: this.o.name, oscIp, oscPort: this.o.udpPort(), wsIp: local, wsPort: this.o.httpPort() }));
    }
    const node = findNode(buildOscQueryTree(this.o.specs, this.o.values()), path);
    if (!node) return this.send(res, 404, { error: `no node at ${path}` });
    if (query === '') return this.send(res, 200, node);
    if (!ATTRS.has(query)) return this.send(res, 400, { error: `unknown attribute ${query}` });
    const v = node[query as keyof OscQueryNode];
    // The proposal: an attribute the node does not have is "no content".
    if (v === undefined) return this.send(res, 204, null);
    return this.send(res, 200, { [query]: v });
  }

  addClient(ws: WebSocket, remote: string | undefined): void {
    const paths = new Set<string>();
    this.listeners.set(ws, paths);
    ws.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      if (isBinary) {
        this.o.onOsc(bytes, remote);
        return;
      }
      let cmd: unknown;
      try {
        cmd = JSON.parse(Buffer.from(bytes).toString('utf8'));
      } catch {
        return;
      }
      const c = cmd as { COMMAND?: unknown; DATA?: unknown };
      if (typeof c.DATA !== 'string') return;
      if (c.COMMAND === 'LISTEN' && this.specByPath.has(c.DATA)) paths.add(c.DATA);
      else if (c.COMMAND === 'IGNORE') paths.delete(c.DATA);
    });
    ws.on('close', () => this.listeners.delete(ws));
    ws.on('error', () => ws.terminate());
  }

  /** Sends changed values to the clients listening to them. */
  valuesChanged(values: Readonly<Record<string, ParamValue>>): void {
    if (this.listeners.size === 0) return;
    for (const [name, value] of Object.entries(values)) {
      const path = `${DEFAULT_PREFIX}/${name}`;
      const spec = this.specByPath.get(path);
      if (!spec) continue;
      let bytes: Uint8Array | null = null;
      for (const [ws, paths] of this.listeners) {
        if (!paths.has(path) || ws.readyState !== ws.OPEN) continue;
        bytes ??= encodeValue(path, spec, value);
        ws.send(bytes, { binary: true });
      }
    }
  }

  close(): void {
    for (const ws of this.listeners.keys()) ws.terminate();
    this.listeners.clear();
  }

  private send(res: ServerResponse, status: number, body: unknown): true {
    if (status === 204) {
      res.writeHead(204).end();
      return true;
    }
    const text = JSON.stringify(body);
    // Readable from any origin on purpose: browser-based OSCQuery tools read the namespace; it holds no secret, and
    // every way to change something (WebSocket, UDP) checks Origin and the allow-list.
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'access-control-allow-origin': '*', 'x-content-type-options': 'nosniff' });
    res.end(text);
    return true;
  }
}

/** The value as OSCQuery's TYPE says (bools as T/F, unlike desk feedback). */
function encodeValue(path: string, spec: ParamSpec, value: ParamValue): Uint8Array {
  const m = new OSC.TypedMessage(path, []);
  if (spec.type === 'bool') m.add(value ? 'T' : 'F', value === true);
  else if (spec.type === 'enum') m.add('s', String(value));
  else if (spec.type === 'int') m.add('i', value as number);
  else if (spec.type === 'float') m.add('f', value as number);
  else for (const x of value as readonly number[]) m.add('f', x);
  return m.pack();
}

export function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
