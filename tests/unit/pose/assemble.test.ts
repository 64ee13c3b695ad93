import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { ByteBuffer } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import { imageInputMetadata, readImageNormalization, withMetadata } from '../../../tools/pose-model/tflite-metadata.mjs';
import { crc32, zipStored } from '../../../tools/pose-model/zip-stored.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const poseDir = dirname(createRequire(import.meta.url).resolve('@mediapipe/pose/package.json'));
const lite = new Uint8Array(readFileSync(join(poseDir, 'pose_landmark_lite.tflite')));
const meta = { name: 'test', description: 'd', author: 'a', license: 'Apache-2.0', mean: 0, std: 255 };

/** Field `id`'s target position in the root table of a flatbuffer (for comparing old and new roots). */
function rootField(bytes: Uint8Array, id: number): { kind: 'absent' } | { kind: 'at'; pos: number } {
  const bb = new ByteBuffer(bytes);
  const t = bb.readUint32(0);
  const o = bb.__offset(t, 4 + 2 * id);
  return o ? { kind: 'at', pos: bb.__indirect(t + o) } : { kind: 'absent' };
}

describe('pose model assembly (tools/pose-model)', () => {
  it('CRC-32 matches zlib', () => {
    const data = new TextEncoder().encode('The quick brown fox jumps over the lazy dog');
    expect(crc32(data)).toBe(zlibCrc32(data));
    expect(crc32(lite.subarray(0, 100_000))).toBe(zlibCrc32(lite.subarray(0, 100_000)));
  });

  it('writes a stored zip, byte-identical run to run, entries aligned to 16 bytes', () => {
    const entries = [
      { name: 'a.tflite', data: new Uint8Array([1, 2, 3]) },
      { name: 'bb.tflite', data: new Uint8Array(1000).fill(7) },
    ];
    const z = zipStored(entries);
    expect(zipStored(entries)).toEqual(z);
    const v = new DataView(z.buffer, z.byteOffset, z.byteLength);
    let off = 0;
    for (const e of entries) {
      expect(v.getUint32(off, true)).toBe(0x04034b50);
      expect(v.getUint16(off + 8, true)).toBe(0); // stored
      expect(v.getUint32(off + 14, true)).toBe(zlibCrc32(e.data));
      const start = off + 30 + v.getUint16(off + 26, true) + v.getUint16(off + 28, true);
      expect(start % 16).toBe(0);
      expect(z.subarray(start, start + e.data.length)).toEqual(e.data);
      off = start + e.data.length;
    }
    expect(v.getUint32(z.length - 22, true)).toBe(0x06054b50);
    expect(v.getUint16(z.length - 12, true)).toBe(2);
  });

  it('puts metadata in front of the model without touching its bytes, keeping 16-byte alignment', () => {
    const out = withMetadata(lite, imageInputMetadata(meta));
    const shift = out.length - lite.length;
    expect(shift % 16).toBe(0);
    // Byte compare via Buffer: a deep toEqual over 2.8 MB takes a minute.
    expect(Buffer.compare(out.subarray(shift), lite)).toBe(0);
    expect(new TextDecoder().decode(out.subarray(4, 8))).toBe('TFL3');
    // The new root points at the same operator codes and subgraphs, now `shift` bytes further on.
    for (const id of [1, 2]) {
      const before = rootField(lite, id);
      const after = rootField(out, id);
      expect(before.kind).toBe('at');
      if (before.kind === 'at' && after.kind === 'at') expect(after.pos).toBe(before.pos + shift);
    }
    expect(readImageNormalization(out)).toEqual({ mean: 0, std: 255, colorSpace: 1 });
    expect(readImageNormalization(lite)).toBeUndefined();
  });

  it('refuses bytes that are not a TFLite model', () => {
    expect(() => withMetadata(new Uint8Array(64), imageInputMetadata(meta))).toThrow(/not a TFLite flatbuffer/);
  });

  it('the script is idempotent and checks its outputs by sha256', () => {
    const script = join(root, 'tools/pose-model/assemble.mjs');
    const first = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    expect(first).toMatch(/wrote|up to date/);
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8' })).toMatch(/up to date \(sha256 match\), nothing to do/);
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toMatch(/right sha256/);
  });
});
