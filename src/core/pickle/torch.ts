import { ByteCursor } from './bytes.ts';
import { ELEMENT_SIZE, makeElementReader, type ElementType } from './dtypes.ts';
import { unpickleOne, type PickleHost } from './unpickler.ts';
import { PickleError, PyDict, PyGlobal, PyTuple, describePy, isPyObject, pyInt, type PyObject, type PyValue } from './values.ts';

/** torch's legacy storage type names (what `torch.save` pickles as the storage's type). */
export const STORAGE_TYPES: Readonly<Record<string, ElementType>> = {
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  DoubleStorage: 'float64',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
};

/** The largest tensor we materialise (elements): far above any StyleGAN layer, far below a memory bomb. */
export const MAX_TENSOR_ELEMENTS = 1 << 28;

export class TorchStorage implements PyObject {
  readonly pyKind = 'torch storage';
  constructor(
    readonly dtype: ElementType,
    /** Raw little-endian element data (a view into the file). */
    public bytes: Uint8Array,
    readonly numel: number,
  ) {}
}

export class TorchTensor implements PyObject {
  readonly pyKind = 'torch tensor';
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
    public isParameter = false,
  ) {}
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

/** The tensor's elements in row-major order as float32, read through its strides. */
export function tensorToFloat32(t: TorchTensor): Float32Array {
  const n = t.numel;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const read = makeElementReader(t.storage.dtype, t.storage.bytes);
  const rank = t.shape.length;
  const idx = new Array<number>(rank).fill(0);
  let src = t.offset;
  for (let i = 0; i < n; i++) {
    out[i] = read(src);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      src += t.stride[d] as number;
      if ((idx[d] as number) < (t.shape[d] as number)) break;
      src -= (t.shape[d] as number) * (t.stride[d] as number);
      idx[d] = 0;
    }
  }
  return out;
}

function intList(v: PyValue, what: string, at: number): number[] {
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : undefined;
  const out = items?.map((x) => pyInt(x));
  if (!out || out.some((x) => x === undefined || x < 0)) {
    throw new PickleError(`pickle: ${what} is ${describePy(v)}, expected a tuple of non-negative ints, at byte ${at}`);
  }
  return out as number[];
}

/** `torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`. */
export function rebuildTensor(args: readonly PyValue[], at: number): TorchTensor {
  const [storage, offsetV, sizeV, strideV] = args;
  if (!(storage instanceof TorchStorage)) throw new PickleError(`pickle: a tensor rebuild over ${describePy(storage)}, expected a torch storage, at byte ${at}`);
  const offset = pyInt(offsetV);
  if (offset === undefined || offset < 0) throw new PickleError(`pickle: tensor storage offset ${describePy(offsetV)} is not a non-negative int, at byte ${at}`);
  const shape = intList(sizeV ?? null, 'tensor size', at);
  const stride = intList(strideV ?? null, 'tensor stride', at);
  if (shape.length !== stride.length) throw new PickleError(`pickle: tensor size has ${shape.length} dims but stride ${stride.length}, at byte ${at}`);
  const numel = shape.reduce((a, b) => a * b, 1);
  if (numel > MAX_TENSOR_ELEMENTS) throw new PickleError(`pickle: a tensor of ${numel} elements (shape [${shape.join(', ')}]) is larger than the ${MAX_TENSOR_ELEMENTS} this reader allows, at byte ${at}`);
  if (numel > 0) {
    const last = offset + shape.reduce((a, s, i) => a + (s - 1) * (stride[i] as number), 0);
    if (last >= storage.numel) {
      throw new PickleError(`pickle: a tensor of shape [${shape.join(', ')}] at offset ${offset} reads past its storage of ${storage.numel} elements, at byte ${at}`);
    }
  }
  return new TorchTensor(storage, offset, shape, stride);
}

/** `torch._utils._rebuild_parameter(data, requires_grad, backward_hooks)` (and `_with_state`): the data tensor. */
export function rebuildParameter(args: readonly PyValue[], at: number): TorchTensor {
  const data = args[0];
  if (!(data instanceof TorchTensor)) throw new PickleError(`pickle: a parameter rebuild over ${describePy(data)}, expected a tensor, at byte ${at}`);
  data.isParameter = true;
  return data;
}

/**
 * `torch.storage._load_from_bytes(b)`: `b` is a legacy (non-zip) `torch.save` of one storage, as torch's
 * serialization.py `_legacy_save` writes it (every torch version that pickles storages this way):
 *   pickle(MAGIC_NUMBER) pickle(PROTOCOL_VERSION = 1001) pickle(sys_info)
 *   pickle(obj) with persistent ids ('storage', storage_type, key, location, numel[, view_metadata])
 *   pickle(sorted storage keys)
 *   per key: int64 element count, then count × element_size raw bytes (little-endian on every machine that matters;
 *   sys_info says which).
 */
export function loadLegacyStorageBlob(blob: Uint8Array, host: PickleHost, outerAt: number): TorchStorage {
  const what = `torch storage blob (the bytes passed to _load_from_bytes at byte ${outerAt})`;
  const cur = new ByteCursor(blob, 0, blob.length, what);
  const plainHost: PickleHost = { resolve: host.resolve, call: host.call, construct: host.construct };
  const magic = unpickleOne(cur, plainHost);
  if (magic !== 0x1950a86a20f9469cfc6cn) throw new PickleError(`${what}: it does not start with torch's legacy magic number (a zip or tar torch.save is not expected here)`);
  const version = unpickleOne(cur, plainHost);
  if (version !== 1001) throw new PickleError(`${what}: legacy format version ${describePy(version)}, expected 1001`);
  const sysInfo = unpickleOne(cur, plainHost);
  if (sysInfo instanceof PyDict && sysInfo.get('little_endian') === false) {
    throw new PickleError(`${what}: saved on a big-endian machine, which this reader does not support`);
  }

  // Storages are created empty when the object pickle names them and filled after the key list, as torch does.
  const storages = new Map<string, { storage: TorchStorage; elementSize: number }>();
  const views: { storage: TorchStorage; root: string; offset: number; size: number }[] = [];
  const persistentLoad = (pid: PyValue, at: number): PyValue => {
    const items = pid instanceof PyTuple ? pid.items : undefined;
    if (!items || items[0] !== 'storage' || items.length < 5) throw new PickleError(`${what}: persistent id ${describePy(pid)} at byte ${at}, expected ('storage', type, key, location, numel)`);
    const [, type, key, , numelV, view] = items;
    const dtype = type instanceof PyGlobal && type.module === 'torch' ? STORAGE_TYPES[type.name] : undefined;
    if (dtype === undefined) throw new PickleError(`${what}: storage type ${describePy(type)} at byte ${at} is not a known torch storage type`);
    const numel = pyInt(numelV);
    if (typeof key !== 'string' || numel === undefined || numel < 0) throw new PickleError(`${what}: bad storage key or size at byte ${at}`);
    let entry = storages.get(key);
    if (!entry) {
      entry = { storage: new TorchStorage(dtype, new Uint8Array(0), numel), elementSize: ELEMENT_SIZE[dtype] };
      storages.set(key, entry);
    }
    if (view instanceof PyTuple) {
      const [viewKey, offV, sizeV] = view.items;
      const off = pyInt(offV);
      const size = pyInt(sizeV);
      if (typeof viewKey !== 'string' || off === undefined || size === undefined) throw new PickleError(`${what}: bad storage view at byte ${at}`);
      const v = new TorchStorage(dtype, new Uint8Array(0), size);
      views.push({ storage: v, root: key, offset: off, size });
      return v;
    }
    return entry.storage;
  };
  const obj = unpickleOne(cur, { ...plainHost, persistentLoad });
  const keys = unpickleOne(cur, plainHost);
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new PickleError(`${what}: the storage key list is ${describePy(keys)}, expected a list of str`);
  for (const key of keys as string[]) {
    const entry = storages.get(key);
    if (!entry) throw new PickleError(`${what}: storage key ${JSON.stringify(key)} is listed but no tensor names it`);
    const count = cur.i64(`element count of storage ${key}`);
    if (count !== BigInt(entry.storage.numel)) {
      throw new PickleError(`${what}: storage ${key} holds ${count} elements but its persistent id says ${entry.storage.numel}`);
    }
    entry.storage.bytes = cur.take(count * BigInt(entry.elementSize), `data of storage ${key}`);
  }
  for (const v of views) {
    const root = storages.get(v.root);
    if (!root || v.offset + v.size > root.storage.numel) throw new PickleError(`${what}: a storage view reaches outside storage ${v.root}`);
    v.storage.bytes = root.storage.bytes.subarray(v.offset * root.elementSize, (v.offset + v.size) * root.elementSize);
  }
  if (!isPyObject(obj, 'torch storage')) throw new PickleError(`${what}: it holds ${describePy(obj)}, expected a storage`);
  return obj as TorchStorage;
}
