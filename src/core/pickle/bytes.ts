import { PickleError } from './values.ts';

/**
 * A bounds-checked cursor over a byte array. Every length read from the file is checked against the bytes that
 * remain before anything is allocated, so a forged size field is an error naming its offset, never a giant buffer.
 */
export class ByteCursor {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
    /** Prefix for messages, e.g. 'pickle' or 'torch storage blob'. */
    readonly what = 'pickle',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number | bigint, field: string): number {
    const at = this.pos;
    if (typeof n === 'bigint' ? n > BigInt(this.remaining) : !(n <= this.remaining)) {
      throw new PickleError(
        this.remaining === 0 || (typeof n === 'number' && n <= 16)
          ? `${this.what}: the file ends too early: ${field} at byte ${at} needs ${n} bytes, ${this.remaining} left (truncated file?)`
          : `${this.what}: ${field} at byte ${at} claims ${n} bytes but only ${this.remaining} remain`,
      );
    }
    return Number(n);
  }

  u8(field: string): number {
    this.need(1, field);
    return this.view.getUint8(this.pos++);
  }
  u16(field: string): number {
    this.need(2, field);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(field: string): number {
    this.need(4, field);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(field: string): number {
    this.need(4, field);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  /** Unsigned 64-bit length; returned as bigint so the check against remaining bytes is exact. */
  u64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }
  i64(field: string): bigint {
    this.need(8, field);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  f64be(field: string): number {
    this.need(8, field);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }
  /** A view (no copy) of the next n bytes. */
  take(n: number | bigint, field: string): Uint8Array {
    const len = this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  /** Text up to (not including) the next newline, for the protocol-0 opcodes. */
  line(field: string): string {
    const at = this.pos;
    let i = at;
    while (i < this.end && this.bytes[i] !== 0x0a) i++;
    if (i >= this.end) throw new PickleError(`${this.what}: the file ends too early: ${field} at byte ${at} has no end of line (truncated file?)`);
    this.pos = i + 1;
    return latin1(this.bytes.subarray(at, i));
  }
}

export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(b: Uint8Array, what: string, at: number): string {
  try {
    return utf8.decode(b);
  } catch {
    throw new PickleError(`${what}: invalid UTF-8 in a string at byte ${at}`);
  }
}

/** Two's-complement little-endian integer of any width (LONG1 / LONG4), as a number when it is safe. */
export function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  if (((b[b.length - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
