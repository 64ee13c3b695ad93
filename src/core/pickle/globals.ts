import { makeDtype, makeFromBuffer, makeScalar, NumpyArray } from './numpy.ts';
import { reconstructPersistent } from './persistence.ts';
import { loadLegacyStorageBlob, rebuildParameter, rebuildTensor, STORAGE_TYPES } from './torch.ts';
import type { PickleHost } from './unpickler.ts';
import { PickleError, PyDict, PyGlobal, PySet, PyTuple, describePy, type DictKind, type PyValue } from './values.ts';

/**
 * The whitelist: every module-level name a StyleGAN pickle may mention, and what calling it means here. A name not
 * listed is refused the moment GLOBAL / STACK_GLOBAL / INST names it, before anything could be called.
 */
type Handler =
  | { readonly kind: 'call'; readonly call: (args: readonly PyValue[], at: number, host: PickleHost) => PyValue }
  /** A class used as an argument or with NEWOBJ (torch.Size, OrderedDict…), never called with REDUCE unless listed. */
  | { readonly kind: 'class'; readonly construct?: (args: readonly PyValue[], at: number) => PyValue; readonly call?: (args: readonly PyValue[], at: number) => PyValue };

const NUMPY_MODULES = ['numpy.core.multiarray', 'numpy._core.multiarray'];
const NUMPY_NUMERIC = ['numpy.core.numeric', 'numpy._core.numeric'];

function dictOf(kind: DictKind) {
  return (args: readonly PyValue[], at: number): PyDict => {
    const d = new PyDict(kind);
    const init = args[0];
    // OrderedDict([(k, v), …]) — the protocol-0/1 spelling; protocol 2+ uses SETITEMS after an empty call.
    if (Array.isArray(init) || init instanceof PyTuple) {
      for (const pair of Array.isArray(init) ? init : init.items) {
        if (!(pair instanceof PyTuple) || pair.items.length !== 2) throw new PickleError(`pickle: ${kind} item ${describePy(pair)}, expected a (key, value) pair, at byte ${at}`);
        d.set(pair.items[0] as PyValue, pair.items[1] as PyValue, at);
      }
    } else if (init instanceof PyDict) {
      for (const [k, v] of init.entries()) d.set(k, v, at);
    } else if (init !== undefined && init !== null) {
      throw new PickleError(`pickle: ${kind} of ${describePy(init)}, at byte ${at}`);
    }
    return d;
  };
}

function setOf(frozen: boolean) {
  return (args: readonly PyValue[], at: number): PySet => {
    const s = new PySet(frozen);
    const init = args[0];
    const items = Array.isArray(init) ? init : init instanceof PyTuple ? init.items : init instanceof PySet ? init.items : init === undefined ? [] : undefined;
    if (!items) throw new PickleError(`pickle: set of ${describePy(init)}, at byte ${at}`);
    for (const v of items) s.add(v, at);
    return s;
  };
}

const tupleOf = (args: readonly PyValue[], at: number): PyTuple => {
  const init = args[0];
  if (init === undefined) return new PyTuple([]);
  if (init instanceof PyTuple) return init;
  if (Array.isArray(init)) return new PyTuple(init);
  throw new PickleError(`pickle: torch.Size of ${describePy(init)}, at byte ${at}`);
};

const HANDLERS = new Map<string, Handler>();
const def = (qualified: string, h: Handler): void => void HANDLERS.set(qualified, h);

// NVIDIA's persistence wrapper (stylegan2-ada-pytorch and stylegan3: torch_utils/persistence.py).
def('torch_utils.persistence._reconstruct_persistent_obj', { kind: 'call', call: reconstructPersistent });
// Tensors and parameters (torch/_utils.py, torch/_tensor.py).
def('torch._utils._rebuild_tensor_v2', { kind: 'call', call: rebuildTensor });
def('torch._utils._rebuild_tensor', { kind: 'call', call: rebuildTensor });
def('torch._utils._rebuild_parameter', { kind: 'call', call: rebuildParameter });
def('torch._utils._rebuild_parameter_with_state', { kind: 'call', call: rebuildParameter });
def('torch._tensor._rebuild_from_type_v2', {
  kind: 'call',
  // (func, new_type, args, state): a tensor subclass wrapper; only whitelisted rebuild functions can be inside.
  call: (args, at, host) => {
    const [fn, , inner] = args;
    if (!(fn instanceof PyGlobal) || !(inner instanceof PyTuple)) throw new PickleError(`pickle: _rebuild_from_type_v2 of ${describePy(fn)}, at byte ${at}`);
    return host.call(fn, inner.items, at);
  },
});
def('torch.Tensor', { kind: 'class' });
def('torch.nn.parameter.Parameter', { kind: 'class' });
def('torch.Size', { kind: 'class', construct: tupleOf, call: tupleOf });
def('torch.storage._load_from_bytes', {
  kind: 'call',
  call: (args, at, host) => {
    const b = args[0];
    if (!(b instanceof Uint8Array)) throw new PickleError(`pickle: _load_from_bytes of ${describePy(b)}, expected bytes, at byte ${at}`);
    return loadLegacyStorageBlob(b, host, at);
  },
});
for (const name of Object.keys(STORAGE_TYPES)) def(`torch.${name}`, { kind: 'class' });
// Containers.
def('collections.OrderedDict', { kind: 'class', construct: dictOf('OrderedDict'), call: dictOf('OrderedDict') });
def('dnnlib.util.EasyDict', { kind: 'class', construct: dictOf('EasyDict'), call: dictOf('EasyDict') });
def('builtins.set', { kind: 'class', construct: setOf(false), call: setOf(false) });
def('builtins.frozenset', { kind: 'class', construct: setOf(true), call: setOf(true) });
def('__builtin__.set', { kind: 'class', construct: setOf(false), call: setOf(false) });
// Protocols 0–2 write builtins under their Python 2 names (pickle's fix_imports).
def('__builtin__.frozenset', { kind: 'class', construct: setOf(true), call: setOf(true) });
// Python 3 pickles bytes under protocol < 3 as _codecs.encode(latin-1 text, 'latin1').
def('_codecs.encode', {
  kind: 'call',
  call: (args, at) => {
    const [text, enc] = args;
    if (typeof text !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) throw new PickleError(`pickle: _codecs.encode is allowed only for latin1 bytes, at byte ${at}`);
    return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  },
});
// numpy, under numpy 1.x (numpy.core) and 2.x (numpy._core) names.
for (const m of NUMPY_MODULES) {
  def(`${m}._reconstruct`, {
    kind: 'call',
    call: (args, at) => {
      const cls = args[0];
      if (!(cls instanceof PyGlobal) || cls.qualified !== 'numpy.ndarray') throw new PickleError(`pickle: numpy _reconstruct of ${describePy(cls)} (only numpy.ndarray), at byte ${at}`);
      return new NumpyArray();
    },
  });
  def(`${m}.scalar`, { kind: 'call', call: makeScalar });
}
for (const m of NUMPY_NUMERIC) def(`${m}._frombuffer`, { kind: 'call', call: makeFromBuffer });
def('numpy.ndarray', { kind: 'class' });
def('numpy.dtype', { kind: 'class', call: makeDtype, construct: makeDtype });

/** Known formats we do not read, so the refusal says what the file is. */
const HINTS: readonly (readonly [RegExp, string])[] = [
  [/^dnnlib\.tflib\b/, 'this is a TensorFlow StyleGAN / StyleGAN2 pickle (dnnlib.tflib); convert it to a PyTorch pickle with NVIDIA\'s legacy.py first'],
  [/^(torch\.nn\.modules|torch\.jit|__torch__)/, 'this file holds plain torch.nn modules or TorchScript, not a StyleGAN network pickled by NVIDIA\'s persistence wrapper'],
];

export function describeWhitelist(): string {
  return 'only tensors, torch storages, numpy numbers/arrays, plain containers and NVIDIA\'s persistence wrapper (torch_utils.persistence) are read';
}

/** The PickleHost every StyleGAN pickle is read with. */
export function createStyleGanHost(): PickleHost {
  const host: PickleHost = {
    resolve(module, name, at) {
      const q = `${module}.${name}`;
      if (!HANDLERS.has(q)) {
        const hint = HINTS.find(([re]) => re.test(q))?.[1];
        throw new PickleError(`pickle: refusing global "${q}" at byte ${at}: ${describeWhitelist()}${hint ? `; ${hint}` : ''}`);
      }
      return new PyGlobal(module, name);
    },
    call(fn, args, at) {
      const h = HANDLERS.get(fn.qualified);
      const call = h?.call;
      if (!h || !call) throw new PickleError(`pickle: refusing to call "${fn.qualified}" at byte ${at}: it may appear only as a type`);
      return call(args, at, host);
    },
    construct(cls, args, kwargs, at) {
      const h = HANDLERS.get(cls.qualified);
      const construct = h?.kind === 'class' ? h.construct : undefined;
      if (!construct) throw new PickleError(`pickle: refusing to construct "${cls.qualified}" at byte ${at}`);
      if (kwargs && kwargs.size > 0) throw new PickleError(`pickle: keyword arguments to "${cls.qualified}" at byte ${at} are not supported`);
      return construct(args, at);
    },
  };
  return host;
}
