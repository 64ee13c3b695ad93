import type { ParamSpec, ParamValue } from '../params/types.ts';
import { DEFAULT_PREFIX } from './address-space.ts';

/**
 * The OSCQuery namespace (Vidvox OSCQueryProposal, JSON over HTTP) built from the parameter specs and current
 * values. Pure: the bridge serves it, tests check it. Attributes used:
 *   FULL_PATH, CONTENTS (containers), TYPE (OSC type tags), ACCESS (1 read, 2 write, 3 read/write), VALUE (array),
 *   RANGE ([{MIN, MAX}] per value, or [{VALS}] for choices), DESCRIPTION, UNIT, CLIPMODE ("both": we clamp).
 * Booleans are TYPE "T" with VALUE true/false (the proposal's convention); button commands are TYPE "N".
 */
export interface OscQueryRange {
  readonly MIN?: number;
  readonly MAX?: number;
  readonly VALS?: readonly (string | number | boolean)[];
}

export interface OscQueryNode {
  FULL_PATH: string;
  DESCRIPTION?: string;
  CONTENTS?: Record<string, OscQueryNode>;
  TYPE?: string;
  ACCESS?: 0 | 1 | 2 | 3;
  VALUE?: (number | string | boolean)[];
  RANGE?: OscQueryRange[];
  UNIT?: string[];
  CLIPMODE?: ('none' | 'low' | 'high' | 'both')[];
}

export interface HostInfoOptions {
  readonly name: string;
  readonly oscIp: string;
  readonly oscPort: number;
  readonly wsIp: string;
  readonly wsPort: number;
}

export interface OscQueryHostInfo {
  readonly NAME: string;
  readonly EXTENSIONS: Readonly<Record<string, boolean>>;
  readonly OSC_IP: string;
  readonly OSC_PORT: number;
  readonly OSC_TRANSPORT: 'UDP';
  readonly WS_IP: string;
  readonly WS_PORT: number;
}

/** The commands as OSCQuery methods: write-only (ACCESS 2). */
const COMMAND_NODES: readonly { path: string; type: string; description: string; range?: OscQueryRange }[] = [
  { path: 'cue/go', type: 'N', description: 'Go to the next cue (no argument, or 1; 0 is a button release and ignored).' },
  { path: 'cue/back', type: 'N', description: 'Go back to the previous cue.' },
  { path: 'portrait/goto', type: 'i', description: 'Glide to the portrait with this number.', range: { MIN: 0, MAX: 2147483647 } },
  { path: 'hud', type: 'T', description: 'Show (1) or hide (0) the operator HUD.' },
  { path: 'blackout', type: 'T', description: 'Fade to black (1) or back (0) over master/fade-seconds.' },
  { path: 'panic', type: 'N', description: 'Release every desk override and blackout.' },
  { path: 'learn', type: 's', description: 'Arm learn mode for a parameter name; the next foreign OSC address binds to it.' },
  { path: 'learn/cancel', type: 'N', description: 'Disarm learn mode.' },
  { path: 'tempo/beat', type: 'N', description: 'A beat pulse: steers the live tempo\'s phase-locked loop.' },
  { path: 'tempo/tap', type: 'N', description: 'A tap-tempo tap.' },
  { path: 'record', type: 'T', description: 'Start (1) or stop (0) recording the show\'s inputs.' },
];

/** Units as ossia-style names where one exists, else the catalogue's own symbol. */
const UNIT_NAMES: Readonly<Record<string, string>> = { s: 'time.second', ms: 'time.millisecond', px: 'distance.pixel', fps: 'time.fps' };

function typeOf(spec: ParamSpec): string {
  switch (spec.type) {
    case 'float':
      return 'f';
    case 'int':
      return 'i';
    case 'bool':
      return 'T';
    case 'enum':
      return 's';
    case 'vec':
      return 'f'.repeat(spec.length);
  }
}

function valueOf(spec: ParamSpec, v: ParamValue): (number | string | boolean)[] {
  if (spec.type === 'vec') return [...(v as readonly number[])];
  return [v as number | string | boolean];
}

/** The method node for one parameter. */
export function paramNode(spec: ParamSpec, value: ParamValue, prefix: string = DEFAULT_PREFIX): OscQueryNode {
  const node: OscQueryNode = {
    FULL_PATH: `${prefix}/${spec.name}`,
    DESCRIPTION: spec.description,
    TYPE: typeOf(spec),
    ACCESS: spec.access === 'rw' ? 3 : 1,
    VALUE: valueOf(spec, value),
  };
  switch (spec.type) {
    case 'float':
    case 'int':
      node.RANGE = [{ MIN: spec.min, MAX: spec.max }];
      node.CLIPMODE = ['both'];
      if (spec.unit) node.UNIT = [UNIT_NAMES[spec.unit] ?? spec.unit];
      break;
    case 'vec':
      node.RANGE = Array.from({ length: spec.length }, () => ({ MIN: spec.min, MAX: spec.max }));
      node.CLIPMODE = Array.from({ length: spec.length }, () => 'both' as const);
      if (spec.unit) node.UNIT = Array.from({ length: spec.length }, () => UNIT_NAMES[spec.unit as string] ?? (spec.unit as string));
      break;
    case 'enum':
      node.RANGE = [{ VALS: [...spec.values] }];
      break;
    case 'bool':
      node.RANGE = [{ VALS: [false, true] }];
      break;
  }
  return node;
}

function ensureContainer(root: OscQueryNode, parts: readonly string[]): OscQueryNode {
  let node = root;
  for (const part of parts) {
    node.CONTENTS ??= {};
    let child = node.CONTENTS[part];
    if (!child) {
      child = { FULL_PATH: node.FULL_PATH === '/' ? `/${part}` : `${node.FULL_PATH}/${part}`, ACCESS: 0, CONTENTS: {} };
      node.CONTENTS[part] = child;
    }
    node = child;
  }
  return node;
}

function place(root: OscQueryNode, fullPath: string, leaf: OscQueryNode): void {
  const parts = fullPath.slice(1).split('/');
  const name = parts.pop() as string;
  const parent = ensureContainer(root, parts);
  parent.CONTENTS ??= {};
  const existing = parent.CONTENTS[name];
  // A path can be both a method and a container (/sitter/cue/go under /sitter/cue…; /sitter/learn and learn/cancel).
  parent.CONTENTS[name] = existing?.CONTENTS ? { ...leaf, CONTENTS: existing.CONTENTS } : leaf;
}

/** The whole tree: every parameter with its current value (the default where none is known) and the commands. */
export function buildOscQueryTree(specs: readonly ParamSpec[], values: Readonly<Record<string, ParamValue>>, prefix: string = DEFAULT_PREFIX): OscQueryNode {
  const root: OscQueryNode = { FULL_PATH: '/', DESCRIPTION: 'Sitter', ACCESS: 0, CONTENTS: {} };
  for (const c of COMMAND_NODES) {
    const leaf: OscQueryNode = { FULL_PATH: `${prefix}/${c.path}`, DESCRIPTION: c.description, TYPE: c.type, ACCESS: 2 };
    if (c.range) leaf.RANGE = [c.range];
    place(root, leaf.FULL_PATH, leaf);
  }
  for (const spec of specs) place(root, `${prefix}/${spec.name}`, paramNode(spec, values[spec.name] ?? spec.default, prefix));
  return root;
}

/** The node at an OSC path ("/", "/sitter/walk", "/sitter/walk/speed"), or undefined. */
export function findNode(root: OscQueryNode, path: string): OscQueryNode | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '/' || trimmed === '') return root;
  let node: OscQueryNode | undefined = root;
  for (const part of trimmed.slice(1).split('/')) {
    node = node?.CONTENTS?.[part];
    if (!node) return undefined;
  }
  return node;
}

export function hostInfo(o: HostInfoOptions): OscQueryHostInfo {
  return {
    NAME: o.name,
    EXTENSIONS: {
      ACCESS: true,
      VALUE: true,
      RANGE: true,
      DESCRIPTION: true,
      UNIT: true,
      CLIPMODE: true,
      TAGS: false,
      CRITICAL: false,
      LISTEN: true,
      // The namespace is fixed at start (the catalogue), so it never changes, is never renamed, added or removed.
      PATH_CHANGED: false,
      PATH_RENAMED: false,
      PATH_ADDED: false,
      PATH_REMOVED: false,
    },
    OSC_IP: o.oscIp,
    OSC_PORT: o.oscPort,
    OSC_TRANSPORT: 'UDP',
    WS_IP: o.wsIp,
    WS_PORT: o.wsPort,
  };
}

/** The attribute names a `GET /path?ATTR` query may ask for. */
export const OSCQUERY_ATTRIBUTES = ['FULL_PATH', 'CONTENTS', 'TYPE', 'ACCESS', 'VALUE', 'RANGE', 'DESCRIPTION', 'UNIT', 'CLIPMODE'] as const;
