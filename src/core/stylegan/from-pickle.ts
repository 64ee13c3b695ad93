import {
  NumpyArray,
  PersistentObject,
  PyDict,
  PyGlobal,
  PySet,
  PyTuple,
  TorchTensor,
  describePy,
  pyInt,
  tensorToFloat32,
  type PyValue,
} from '../pickle/index.ts';
import { GENERATOR_MODULE_NAMES, type GeneratorModuleName } from './architecture.ts';
import type { KwargsRecord } from './kwargs.ts';
import type { ModuleDraft } from './module-draft.ts';
import type { AttrValue, NamedTensor, NetworkModule, StyleGanGeneration, StyleGanNetwork } from './network.ts';
import { draftStyleGan2Generator } from './stylegan2-architecture.ts';
import { draftStyleGan3Generator } from './stylegan3-architecture.ts';
import { errorMessage } from '../error-message.ts';

/**
 * Turns an unpickled NVIDIA network pickle (stylegan2-ada-pytorch or stylegan3, as their training loops and
 * legacy.py write it: a dict {G, D, G_ema, augment_pipe, training_set_kwargs, …} of persistent objects) into the
 * StyleGanNetwork contract, then checks it against what NVIDIA's constructors build from the same init kwargs, so a
 * file the runtime would misread is refused here, with the first difference named. Pure: no fs, no tfjs.
 */
export class NetworkImportError extends Error {
  override name = 'NetworkImportError';
}

export interface FromPickleOptions {
  /** Which entry of the pickle's dict to read: 'G_ema' (default, the averaged generator NVIDIA's tools use) or 'G'. */
  readonly network?: string;
}

export const SUPPORTED_PICKLES =
  "supported: NVIDIA network pickles from stylegan2-ada-pytorch (training.networks) and stylegan3 (training.networks_stylegan2, training.networks_stylegan3 -T/-R), as saved by their training loops: a dict {'G', 'D', 'G_ema', …} of persistent objects";

/** Deeper module trees or attribute values than these are refused: NVIDIA's are 5 modules and 3 values deep, and a
 * hostile file must not turn recursion into a stack overflow (or a cycle into a hang). */
const MAX_MODULE_DEPTH = 16;
/** Elements materialised for one network, at most: 4× a 1024 px StyleGAN2 (30 M) or StyleGAN3-R (15 M). Strides
 * of 0 let a tiny storage back a huge tensor, so this is counted from shapes before anything is allocated. */
export const MAX_NETWORK_ELEMENTS = 128 * 1024 * 1024;
const MAX_VALUE_DEPTH = 32;

/** torch.nn.Module's own bookkeeping in `__dict__`: not attributes of the network. */
const MODULE_INTERNALS = new Set(['training']);

/** Generator's positional order in both code bases (`Generator(z_dim, c_dim, w_dim, img_resolution, img_channels, mapping_kwargs, …)`). */
const GENERATOR_POSITIONAL = ['z_dim', 'c_dim', 'w_dim', 'img_resolution', 'img_channels', 'mapping_kwargs', 'synthesis_kwargs'];

export function networkFromPickle(value: PyValue, options: FromPickleOptions = {}): StyleGanNetwork {
  const wanted = options.network ?? 'G_ema';
  const obj = pickNetwork(value, wanted);
  const moduleName = obj.moduleName;
  if (!(GENERATOR_MODULE_NAMES as readonly string[]).includes(moduleName)) {
    throw new NetworkImportError(
      `'${wanted}' is an object of class ${obj.className} whose embedded module source is not one of NVIDIA's StyleGAN generator modules (it looks like ${moduleName === 'unknown' ? 'unknown code' : moduleName}); ${SUPPORTED_PICKLES}`,
    );
  }
  if (obj.className !== 'Generator') {
    throw new NetworkImportError(`'${wanted}' is a ${obj.className} (${moduleName}), not a Generator; choose a generator with --network (G_ema or G)`);
  }
  const tensors = new Map<string, NamedTensor>();
  const root = convertModule(obj, '', tensors, true, new Set(), { used: 0 });
  const generation: StyleGanGeneration = moduleName === 'training.networks_stylegan3' ? 'stylegan3' : 'stylegan2';
  const net: StyleGanNetwork = { generation, root, tensors };
  validateAgainstArchitecture(net, moduleName as GeneratorModuleName, wanted);
  return net;
}

function pickNetwork(value: PyValue, wanted: string): PersistentObject {
  if (value instanceof PersistentObject) return value;
  if (!(value instanceof PyDict)) {
    throw new NetworkImportError(`this pickle holds ${describePy(value)}, not a StyleGAN network pickle; ${SUPPORTED_PICKLES}`);
  }
  const networks = [...value.entries()].filter(([, v]) => v instanceof PersistentObject).map(([k]) => String(k));
  const entry = value.get(wanted);
  if (entry === undefined || entry === null) {
    if (networks.length === 0) {
      const tensors = [...value.entries()].filter(([, v]) => v instanceof TorchTensor).length;
      const what = tensors > 0 ? `a dict of ${tensors} tensors (a bare state_dict?)` : `a dict with keys ${listKeys(value)}`;
      throw new NetworkImportError(`this pickle holds ${what}, not NVIDIA's network objects; ${SUPPORTED_PICKLES}`);
    }
    throw new NetworkImportError(`this pickle has no network '${wanted}'; it holds ${networks.map((n) => `'${n}'`).join(', ')} (choose one with --network)`);
  }
  if (!(entry instanceof PersistentObject)) {
    throw new NetworkImportError(`'${wanted}' in this pickle is ${describePy(entry)}, not a network object; ${SUPPORTED_PICKLES}`);
  }
  return entry;
}

function listKeys(d: PyDict): string {
  const keys = d.keys().slice(0, 8).map((k) => (typeof k === 'string' ? `'${k}'` : describePy(k)));
  return `${keys.join(', ')}${d.size > 8 ? ', …' : ''}`;
}

/** A module's `__dict__` entry that must be a dict (`_parameters`, `_buffers`, `_modules`), or an empty one. */
function stateDict(state: PyDict, key: string, where: string): PyDict {
  const v = state.get(key);
  if (v === undefined) return new PyDict();
  if (!(v instanceof PyDict)) throw new NetworkImportError(`${where}.${key} is ${describePy(v)}, expected a dict`);
  return v;
}

function convertModule(
  obj: PersistentObject,
  prefix: string,
  tensors: Map<string, NamedTensor>,
  isRoot: boolean,
  ancestors: Set<PersistentObject>,
  budget: { used: number },
): NetworkModule {
  const where = prefix === '' ? obj.className : `${prefix.slice(0, -1)} (${obj.className})`;
  if (ancestors.has(obj)) throw new NetworkImportError(`${where} contains itself (a cycle in _modules)`);
  if (ancestors.size >= MAX_MODULE_DEPTH) throw new NetworkImportError(`${where} is nested more than ${MAX_MODULE_DEPTH} modules deep; a StyleGAN generator is not`);
  const state = obj.state;
  const initKwargs = toKwargs(state.get('_init_kwargs'), `${where}._init_kwargs`);
  if (isRoot) {
    // Positional constructor arguments live in _init_args, not _init_kwargs (persistence.py keeps both).
    const args = state.get('_init_args');
    const items = args instanceof PyTuple ? args.items : Array.isArray(args) ? args : [];
    items.forEach((a, i) => {
      const name = GENERATOR_POSITIONAL[i];
      if (name === undefined) throw new NetworkImportError(`${where} was constructed with ${items.length} positional arguments; the Generator takes at most ${GENERATOR_POSITIONAL.length}`);
      initKwargs[name] = toAttr(a, `${where}._init_args[${i}]`) ?? null;
    });
  }
  const parametersD = stateDict(state, '_parameters', where);
  const buffersD = stateDict(state, '_buffers', where);
  const modulesD = stateDict(state, '_modules', where);
  const nonPersistent = state.get('_non_persistent_buffers_set');
  const skipBuffers = new Set(nonPersistent instanceof PySet ? nonPersistent.items.filter((x): x is string => typeof x === 'string') : []);

  const params: string[] = [];
  const buffers: string[] = [];
  const own = (d: PyDict, list: string[], kind: string, skip: ReadonlySet<string>): void => {
    for (const [k, v] of d.entries()) {
      if (typeof k !== 'string') throw new NetworkImportError(`${where}.${kind} has a key that is ${describePy(k)}, expected a name`);
      if (v === null || skip.has(k)) continue;
      if (!(v instanceof TorchTensor)) throw new NetworkImportError(`${where}.${kind}['${k}'] is ${describePy(v)}, expected a tensor`);
      list.push(k);
      budget.used += v.numel;
      if (budget.used > MAX_NETWORK_ELEMENTS) {
        throw new NetworkImportError(`the network's tensors hold more than ${MAX_NETWORK_ELEMENTS} elements (at ${prefix}${k}, shape [${v.shape.join(', ')}]); no StyleGAN generator is that large`);
      }
      const dtype = v.storage.dtype;
      const storedAs = dtype === 'float32' || dtype === 'float16' || dtype === 'float64' ? dtype : undefined;
      tensors.set(prefix + k, { shape: [...v.shape], data: tensorToFloat32(v), ...(storedAs ? { storedAs } : {}) });
    }
  };
  own(parametersD, params, '_parameters', new Set());
  own(buffersD, buffers, '_buffers', skipBuffers);

  const attrs: Record<string, AttrValue> = {};
  for (const [k, v] of state.entries()) {
    if (typeof k !== 'string' || k.startsWith('_') || MODULE_INTERNALS.has(k)) continue;
    const a = toAttr(v, `${where}.${k}`);
    if (a !== undefined) attrs[k] = a;
  }

  const children: Record<string, NetworkModule> = {};
  for (const [k, v] of modulesD.entries()) {
    if (typeof k !== 'string' || v === null) continue;
    if (!(v instanceof PersistentObject)) throw new NetworkImportError(`${where} submodule '${String(k)}' is ${describePy(v)}, expected one of NVIDIA's persistent modules`);
    ancestors.add(obj);
    children[k] = convertModule(v, `${prefix}${k}.`, tensors, false, ancestors, budget);
    ancestors.delete(obj);
  }
  return { className: obj.className, moduleName: obj.moduleName, initKwargs, attrs, params, buffers, children };
}

function toKwargs(v: PyValue | undefined, where: string): Record<string, AttrValue> {
  if (v === undefined || v === null) return {};
  if (!(v instanceof PyDict)) throw new NetworkImportError(`${where} is ${describePy(v)}, expected a dict`);
  const a = toAttr(v, where);
  return a !== null && typeof a === 'object' && !Array.isArray(a) ? { ...(a as Record<string, AttrValue>) } : {};
}

/** Values one attribute may hold, counting shared containers each time they are reached: depth alone does not
 * stop a 40-level chain of lists that each hold the one below twice. Real attributes hold a few dozen. */
const MAX_ATTR_NODES = 1 << 20;

/**
 * A Python value as JSON-safe data: numpy scalars are already numbers (or booleans), small numpy arrays become
 * nested lists, tuples lists, dicts objects. Anything else (a tensor in `__dict__`, a global) is left out (undefined):
 * the network's tensors are read from `_parameters` / `_buffers`, never from plain attributes.
 */
function toAttr(v: PyValue | undefined, where: string, depth = 0, budget = { left: MAX_ATTR_NODES }): AttrValue | undefined {
  if (v === undefined) return undefined;
  if (depth > MAX_VALUE_DEPTH) throw new NetworkImportError(`${where} is nested more than ${MAX_VALUE_DEPTH} levels deep (or contains itself)`);
  if (--budget.left < 0) throw new NetworkImportError(`${where}: attributes of more than ${MAX_ATTR_NODES} values (a file whose containers share their parts?)`);
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') {
    const n = pyInt(v);
    return n === undefined ? undefined : n;
  }
  if (Array.isArray(v) || v instanceof PyTuple || v instanceof PySet) {
    const items = Array.isArray(v) ? v : v.items;
    const out: AttrValue[] = [];
    for (const [i, x] of items.entries()) {
      const a = toAttr(x, `${where}[${i}]`, depth + 1, budget);
      if (a === undefined) return undefined;
      out.push(a);
    }
    return out;
  }
  if (v instanceof PyDict) {
    const out: Record<string, AttrValue> = {};
    for (const [k, x] of v.entries()) {
      if (typeof k !== 'string' && typeof k !== 'number') continue;
      const a = toAttr(x, `${where}.${String(k)}`, depth + 1, budget);
      if (a !== undefined) out[String(k)] = a;
    }
    return out;
  }
  if (v instanceof NumpyArray) {
    if (v.shape.length > MAX_VALUE_DEPTH) throw new NetworkImportError(`${where} is a numpy array of rank ${v.shape.length}; attributes are small arrays`);
    return nest(v.values, v.shape);
  }
  if (v instanceof PyGlobal || v instanceof Uint8Array) return undefined;
  return undefined;
}

function nest(values: readonly number[], shape: readonly number[]): AttrValue {
  if (shape.length === 0) return values[0] ?? null;
  const [n, ...rest] = shape as [number, ...number[]];
  const step = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => nest(values.slice(i * step, (i + 1) * step), rest));
}

// ---- Validation against the architecture ------------------------------------------------------------------------

interface Expected {
  readonly tensors: Map<string, readonly number[]>;
  readonly classes: Map<string, string>;
}

function expectedLayout(draft: ModuleDraft): Expected {
  const tensors = new Map<string, readonly number[]>();
  const classes = new Map<string, string>();
  const walk = (m: ModuleDraft, prefix: string): void => {
    classes.set(prefix, m.className);
    for (const [n, t] of m.params) tensors.set(prefix + n, t.shape);
    for (const [n, t] of m.buffers) tensors.set(prefix + n, t.shape);
    for (const [n, c] of m.children) walk(c, `${prefix}${n}.`);
  };
  walk(draft, '');
  return { tensors, classes };
}

function actualClasses(root: NetworkModule): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (m: NetworkModule, prefix: string): void => {
    out.set(prefix, m.className);
    for (const [n, c] of Object.entries(m.children)) walk(c, `${prefix}${n}.`);
  };
  walk(root, '');
  return out;
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Every state_dict name and shape, and every module's class, must be what NVIDIA's constructors make from the
 * file's own init kwargs: the runtime is written against that architecture, so anything else would render wrongly.
 */
function validateAgainstArchitecture(net: StyleGanNetwork, moduleName: GeneratorModuleName, wanted: string): void {
  let draft: ModuleDraft;
  try {
    const kwargs = net.root.initKwargs as KwargsRecord;
    draft = moduleName === 'training.networks_stylegan3' ? draftStyleGan3Generator(kwargs, 'pristine') : draftStyleGan2Generator(moduleName, kwargs, 'pristine');
  } catch (e) {
    throw new NetworkImportError(`'${wanted}' (${moduleName}) has init kwargs this importer cannot rebuild: ${errorMessage(e)}`);
  }
  const expected = expectedLayout(draft);
  const classes = actualClasses(net.root);
  for (const [path, cls] of expected.classes) {
    const got = classes.get(path);
    const name = path === '' ? 'the root' : `module '${path.slice(0, -1)}'`;
    if (got === undefined) throw new NetworkImportError(`'${wanted}' does not match the ${moduleName} architecture: ${name} (${cls}) is missing`);
    if (got !== cls) throw new NetworkImportError(`'${wanted}' does not match the ${moduleName} architecture: ${name} is a ${got}, expected a ${cls}`);
  }
  for (const path of classes.keys()) {
    if (!expected.classes.has(path)) throw new NetworkImportError(`'${wanted}' does not match the ${moduleName} architecture: unexpected module '${path.slice(0, -1)}'`);
  }
  for (const [name, shape] of expected.tensors) {
    const t = net.tensors.get(name);
    if (t === undefined) throw new NetworkImportError(`'${wanted}' does not match the ${moduleName} architecture: tensor '${name}' ${shapeText(shape)} is missing`);
    if (shapeText(t.shape) !== shapeText(shape)) {
      throw new NetworkImportError(`'${wanted}' does not match the ${moduleName} architecture: tensor '${name}' has shape ${shapeText(t.shape)}, expected ${shapeText(shape)}`);
    }
  }
  for (const name of net.tensors.keys()) {
    if (!expected.tensors.has(name)) throw new NetworkImportError(`'${wanted}' does not match the ${moduleName} architecture: unexpected tensor '${name}'`);
  }
}
