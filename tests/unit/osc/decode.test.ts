import { describe, expect, it } from 'vitest';
import OSC from 'osc-js';
import { decodePacket } from '../../../src/core/osc/decode.ts';
import { flattenPacket } from '../../../src/core/osc/packet.ts';
import { decode as oscJsDecode, typed } from './oscjs.ts';

const samples: Uint8Array[] = [
  typed('/sitter/walk/speed', ['f', 2.5]),
  typed('/a', ['i', -7], ['d', 1 / 3], ['s', 'héllo ✓'], ['T', true], ['F', false], ['N', null], ['I', Infinity]),
  typed('/b', ['h', -(2n ** 40n)], ['t', 2n ** 60n], ['b', new Uint8Array([1, 2, 3, 4, 5])]),
  typed('/c'),
  typed('/sitter/steer/{0,1}', ['f', -1]),
];

describe('decodePacket', () => {
  it.each(samples.map((s, i) => [i, s] as const))('reads sample %i exactly as osc-js does', (_, bytes) => {
    const ours = decodePacket(bytes);
    expect(ours.ok).toBe(true);
    const theirs = oscJsDecode(bytes) as { address: string; types: string; args: unknown[] };
    if (!ours.ok || !('address' in ours.packet)) throw new Error('expected a message');
    expect(ours.packet.address).toBe(theirs.address);
    expect(ours.packet.types).toBe(theirs.types);
    expect(ours.packet.args).toEqual(theirs.args);
  });

  it('reads nested bundles with their timetags', () => {
    const inner = new OSC.Bundle([new OSC.Message('/x', 1)], 2_000_000_000_500);
    const outer = new OSC.Bundle([new OSC.Message('/y', 'z')], 2_000_000_000_000);
    outer.add(inner);
    const d = decodePacket(outer.pack());
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const f = flattenPacket(d.packet);
    expect(f.ok && f.messages.map((m) => [m.message.address, Math.round(m.timetagMs ?? 0)])).toEqual([
      ['/y', 2_000_000_000_000],
      ['/x', 2_000_000_000_500],
    ]);
  });

  it('refuses every truncation of a valid packet but the valid prefixes, and never throws on random bytes', () => {
    const bundle = new OSC.Bundle([new OSC.Message('/sitter/walk/speed', 'abc', 3)], Date.now()).pack();
    for (const full of [...samples, bundle]) {
      for (let n = 0; n < full.length; n++) {
        const d = decodePacket(full.slice(0, n));
        if (!d.ok) continue;
        // OSC 1.0 allows two prefixes: an address without type tags (old senders) and a bundle without elements.
        const p = d.packet;
        expect('address' in p ? p.args.length : p.bundleElements.length, `${n} of ${full.length} bytes`).toBe(0);
      }
    }
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % 256);
    for (let k = 0; k < 3000; k++) {
      const len = 4 * (1 + (k % 40));
      const b = new Uint8Array(len).map(() => rnd());
      // Random tails after plausible heads, to reach the argument readers too.
      if (k % 2 === 0) b.set(typed('/r', ['s', 'x']).slice(0, Math.min(len, 8)));
      if (k % 3 === 0) b.set(new TextEncoder().encode('#bundle\0').slice(0, Math.min(len, 8)));
      expect(() => decodePacket(b)).not.toThrow();
    }
  });

  it('says what is wrong', () => {
    expect(decodePacket(new Uint8Array(6))).toMatchObject({ ok: false, error: expect.stringContaining('multiple of 4') });
    expect(decodePacket(new TextEncoder().encode('abc\0'))).toMatchObject({ ok: false, error: expect.stringContaining('"/"') });
    const extra = new Uint8Array([...typed('/a', ['i', 1]), 0, 0, 0, 0]);
    expect(decodePacket(extra)).toMatchObject({ ok: false, error: expect.stringContaining('after the last argument') });
    const arrays = new Uint8Array([...new TextEncoder().encode('/a\0\0,[i]\0\0\0\0'), 0, 0, 0, 1]);
    expect(decodePacket(arrays)).toMatchObject({ ok: false, error: expect.stringContaining('unsupported type tag') });
  });
});
