import { ELEMENT_SIZE, makeElementReader, type ElementType } from './dtypes.ts';
import { PickleError, PyTuple, describePy, pyInt, type PyObject, type PyValue } from './values.ts';

/** numpy type codes (kind + item size) we read; object, string and complex arrays are refused. */
const TYPECODES: Readonly<Record<string, ElementType>> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  b1: 'bool',
};

/** The largest numpy array we read: StyleGAN attributes are a handful of numbers (sizes, sampling rates). */
const MAX_NUMPY_ELEMENTS = 1 << 24;

/** `numpy.dtype(typestr, align, copy)`, then BUILD `(version, byteorder, …)`. */
export class NumpyDtype implements PyObject {
  readonly pyKind = 'numpy dtype';
  littleEndian = true;
  constructor(
    readonly typestr: string,
    readonly element: ElementType | undefined,
  ) {}
  build(state: PyValue, at: number): void {
    if (!(state instanceof PyTuple)) throw new PickleError(`pickle: numpy dtype state is ${describePy(state)}, expected a tuple, at byte ${at}`);
    const order = state.items[1];
    if (order === '>') this.littleEndian = false;
  }
  require(at: number): ElementType {
    if (this.element === undefined) throw new PickleError(`pickle: numpy dtype "${this.typestr}" is not supported (only bool, int and float arrays), at byte ${at}`);
    return this.element;
  }
}

export function makeDtype(args: readonly PyValue[], at: number): NumpyDtype {
  const t = args[0];
  if (typeof t !== 'string') throw new PickleError(`pickle: numpy dtype of ${describePy(t)}, expected a type string, at byte ${at}`);
  return new NumpyDtype(t, TYPECODES[t]);
}

/** A numpy ndarray: `_reconstruct(ndarray, (0,), b'b')` creates it empty; BUILD gives shape, dtype and raw data. */
export class NumpyArray implements PyObject {
  readonly pyKind = 'numpy array';
  shape: number[] = [0];
  values: number[] = [];
  build(state: PyValue, at: number): void {
    const items = state instanceof PyTuple ? state.items : undefined;
    // (version, shape, dtype, is_fortran, rawdata) — numpy's ndarray.__setstate__; version is absent in old pickles.
    const s = items && items.length === 5 ? items.slice(1) : items;
    if (!s || s.length !== 4) throw new PickleError(`pickle: numpy array state is ${describePy(state)}, expected (version, shape, dtype, is_fortran, data), at byte ${at}`);
    const [shapeV, dtype, fortran, raw] = s;
    if (!(dtype instanceof NumpyDtype)) throw new PickleError(`pickle: numpy array dtype is ${describePy(dtype)}, at byte ${at}`);
    if (!(raw instanceof Uint8Array)) throw new PickleError(`pickle: numpy array data is ${describePy(raw)}, expected bytes (object arrays are not supported), at byte ${at}`);
    const shape = shapeTuple(shapeV, at);
    this.fill(shape, dtype, raw, fortran === true, at);
  }
  fill(shape: number[], dtype: NumpyDtype, raw: Uint8Array, fortran: boolean, at: number): void {
    const element = dtype.require(at);
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > MAX_NUMPY_ELEMENTS) throw new PickleError(`pickle: a numpy array of ${n} elements is larger than this reader allows, at byte ${at}`);
    if (raw.length !== n * ELEMENT_SIZE[element]) {
      throw new PickleError(`pickle: numpy array of shape [${shape.join(', ')}] (${dtype.typestr}) needs ${n * ELEMENT_SIZE[element]} bytes, got ${raw.length}, at byte ${at}`);
    }
    const read = makeElementReader(element, raw, dtype.littleEndian);
    const flat = Array.from({ length: n }, (_, i) => read(i));
    this.shape = shape;
    this.values = fortran ? fortranToC(flat, shape) : flat;
  }
}

function shapeTuple(v: PyValue | undefined, at: number): number[] {
  const items = v instanceof PyTuple ? v.items : undefined;
  const out = items?.map((x) => pyInt(x));
  if (!out || out.some((x) => x === undefined || x < 0)) throw new PickleError(`pickle: numpy shape is ${describePy(v)}, at byte ${at}`);
  return out as number[];
}

function fortranToC(flat: number[], shape: number[]): number[] {
  const n = flat.length;
  const out = new Array<number>(n);
  const rank = shape.length;
  for (let i = 0; i < n; i++) {
    // i is a C-order index; find its Fortran-order position.
    let rem = i;
    let f = 0;
    let mul = 1;
    const idx = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = rem % (shape[d] as number);
      rem = Math.floor(rem / (shape[d] as number));
    }
    for (let d = 0; d < rank; d++) {
      f += (idx[d] as number) * mul;
      mul *= shape[d] as number;
    }
    out[i] = flat[f] as number;
  }
  return out;
}

/** `numpy.core.multiarray.scalar(dtype, raw)`: a numpy scalar becomes a plain number (a `numpy.bool_` a boolean:
 * StyleGAN3's `use_fp16` flags are numpy bools and must stay booleans). */
export function makeScalar(args: readonly PyValue[], at: number): number | boolean {
  const [dtype, raw] = args;
  if (!(dtype instanceof NumpyDtype) || !(raw instanceof Uint8Array)) throw new PickleError(`pickle: numpy scalar of ${describePy(dtype)} and ${describePy(raw)}, at byte ${at}`);
  const element = dtype.require(at);
  if (raw.length !== ELEMENT_SIZE[element]) throw new PickleError(`pickle: numpy ${dtype.typestr} scalar has ${raw.length} bytes, at byte ${at}`);
  const value = makeElementReader(element, raw, dtype.littleEndian)(0);
  return element === 'bool' ? value !== 0 : value;
}

/** `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)`: how numpy pickles arrays under protocol 5. */
export function makeFromBuffer(args: readonly PyValue[], at: number): NumpyArray {
  const [buf, dtype, shapeV, order] = args;
  if (!(buf instanceof Uint8Array) || !(dtype instanceof NumpyDtype)) throw new PickleError(`pickle: numpy _frombuffer of ${describePy(buf)}, at byte ${at}`);
  const a = new NumpyArray();
  a.fill(shapeTuple(shapeV, at), dtype, buf, order === 'F', at);
  return a;
}
