/** Element types torch storages and numpy arrays use in StyleGAN pickles, and how to read them as numbers. */
export type ElementType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const ELEMENT_SIZE: Readonly<Record<ElementType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** IEEE 754 binary16 → number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Reads element `i` of little-endian (or big-endian, for numpy '>' arrays) data as a JS number. */
export function makeElementReader(type: ElementType, bytes: Uint8Array, littleEndian = true): (i: number) => number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case 'float32': return (i) => v.getFloat32(i * 4, littleEndian);
    case 'float64': return (i) => v.getFloat64(i * 8, littleEndian);
    case 'float16': return (i) => halfToFloat(v.getUint16(i * 2, littleEndian));
    // bfloat16 is the top half of a float32.
    case 'bfloat16': {
      const f = new DataView(new ArrayBuffer(4));
      return (i) => {
        f.setUint32(0, v.getUint16(i * 2, littleEndian) << 16);
        return f.getFloat32(0);
      };
    }
    case 'int64': return (i) => Number(v.getBigInt64(i * 8, littleEndian));
    case 'int32': return (i) => v.getInt32(i * 4, littleEndian);
    case 'int16': return (i) => v.getInt16(i * 2, littleEndian);
    case 'int8': return (i) => v.getInt8(i);
    case 'uint8': return (i) => v.getUint8(i);
    case 'bool': return (i) => (v.getUint8(i) !== 0 ? 1 : 0);
  }
}
