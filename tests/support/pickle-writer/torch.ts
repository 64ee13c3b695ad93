/**
 * Tensors and numpy values as PyTorch and numpy pickle them (torch/_tensor.py `__reduce_ex__`,
 * torch/nn/parameter.py, torch/storage.py `__reduce__` → `_load_from_bytes(legacy torch.save bytes)`,
 * torch/serialization.py `_legacy_save`, numpy's ndarray/dtype/scalar `__reduce__`). Our own code, for tests.
 */
import { PDict, PPersId, PReduce, dict, float, glob, pickle, tuple, type PNode } from './pickler.ts';

export type StorageKind = 'float32' | 'float16' | 'float64' | 'bfloat16';

const STORAGE_CLASS: Record<StorageKind, string> = {
  float32: 'FloatStorage',
  float16: 'HalfStorage',
  float64: 'DoubleStorage',
  bfloat16: 'BFloat16Storage',
};
const SIZE: Record<StorageKind, number> = { float32: 4, float16: 2, float64: 8, bfloat16: 2 };

export function floatToHalf(x: number): number {
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, x);
  const bits = f.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = bits & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >> (1 - exp);
    return sign | ((m + 0x1000) >> 13);
  }
  return (sign | (exp << 10) | (mant >> 13)) + ((mant >> 12) & 1);
}

export function encodeStorage(values: ArrayLike<number>, kind: StorageKind): Uint8Array {
  const out = new Uint8Array(values.length * SIZE[kind]);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (kind === 'float32') v.setFloat32(i * 4, x, true);
    else if (kind === 'float64') v.setFloat64(i * 8, x, true);
    else if (kind === 'float16') v.setUint16(i * 2, floatToHalf(x), true);
    else {
      const f = new DataView(new ArrayBuffer(4));
      f.setFloat32(0, x);
      v.setUint16(i * 2, f.getUint32(0) >>> 16, true);
    }
  }
  return out;
}

let nextKey = 94_000_000_000_000;

/** `torch.save(storage, f, _use_new_zipfile_serialization=False)` bytes, protocol 2 as torch's DEFAULT_PROTOCOL. */
export function legacyStorageBlob(values: ArrayLike<number>, kind: StorageKind, options: { location?: string; viewMetadata?: boolean } = {}): Uint8Array {
  const key = String(nextKey++ * 16); // str(storage._cdata): an address
  const sysInfo = dict([
    ['protocol_version', 1001],
    ['little_endian', true],
    ['type_sizes', dict([['short', 2], ['int', 4], ['long', 8]])],
  ]);
  const pidItems: PNode[] = ['storage', glob('torch', STORAGE_CLASS[kind]), key, options.location ?? 'cpu', values.length];
  if (options.viewMetadata !== false) pidItems.push(null);
  const parts = [
    pickle(0x1950a86a20f9469cfc6cn, { protocol: 2 }),
    pickle(1001, { protocol: 2 }),
    pickle(sysInfo, { protocol: 2 }),
    pickle(new PPersId(tuple(...pidItems)), { protocol: 2 }),
    pickle([key], { protocol: 2 }),
  ];
  const count = new Uint8Array(8);
  new DataView(count.buffer).setBigInt64(0, BigInt(values.length), true);
  parts.push(count, encodeStorage(values, kind));
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const orderedDict = (entries: readonly (readonly [PNode, PNode])[] = []): PReduce =>
  new PReduce(glob('collections', 'OrderedDict'), [], { dictItems: entries });

export interface TensorSpec {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

function contiguousStride(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i] as number;
  }
  return s;
}

/** A plain tensor: `_rebuild_tensor_v2(storage, 0, size, stride, requires_grad, OrderedDict())`. */
export function tensorNode(t: TensorSpec, kind: StorageKind = 'float32', location = 'cpu'): PReduce {
  const storage = new PReduce(glob('torch.storage', '_load_from_bytes'), [legacyStorageBlob(t.data, kind, { location })]);
  return new PReduce(glob('torch._utils', '_rebuild_tensor_v2'), [storage, 0, tuple(...t.shape), tuple(...contiguousStride(t.shape)), false, orderedDict()]);
}

/** A `torch.nn.Parameter`: `_rebuild_parameter(data, requires_grad, OrderedDict())`. */
export function parameterNode(t: TensorSpec, kind: StorageKind = 'float32', requiresGrad = false): PReduce {
  return new PReduce(glob('torch._utils', '_rebuild_parameter'), [tensorNode(t, kind), requiresGrad, orderedDict()]);
}

/** numpy dtypes are singletons, so a pickle memoises each once; one node per (pickle, type). */
export class NumpyNodes {
  private readonly dtypes = new Map<string, PReduce>();
  constructor(readonly module: 'numpy.core.multiarray' | 'numpy._core.multiarray' = 'numpy.core.multiarray') {}
  dtype(typestr: 'f8' | 'i8' | 'f4' | 'b1'): PReduce {
    let d = this.dtypes.get(typestr);
    if (!d) {
      // Single-byte types have no byte order: numpy pickles '|' for them.
      const order = typestr === 'b1' ? '|' : '<';
      d = new PReduce(glob('numpy', 'dtype'), [typestr, false, true], { state: tuple(3, order, null, null, null, -1, -1, 0) });
      this.dtypes.set(typestr, d);
    }
    return d;
  }
  scalarF8(x: number): PReduce {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x, true);
    return new PReduce(glob(this.module, 'scalar'), [this.dtype('f8'), b]);
  }
  /** `numpy.bool_`, e.g. StyleGAN3's `use_fp16 = sampling_rate * 2**n > resolution`. */
  scalarBool(x: boolean): PReduce {
    return new PReduce(glob(this.module, 'scalar'), [this.dtype('b1'), new Uint8Array([x ? 1 : 0])]);
  }
  scalarI8(x: number): PReduce {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(x), true);
    return new PReduce(glob(this.module, 'scalar'), [this.dtype('i8'), b]);
  }
  arrayI8(values: readonly number[]): PReduce {
    const b = new Uint8Array(values.length * 8);
    values.forEach((x, i) => new DataView(b.buffer).setBigInt64(i * 8, BigInt(x), true));
    return new PReduce(glob(this.module, '_reconstruct'), [glob('numpy', 'ndarray'), tuple(0), new Uint8Array([0x62])], {
      state: tuple(1, tuple(values.length), this.dtype('i8'), false, b),
    });
  }
}

export { float, PDict };
