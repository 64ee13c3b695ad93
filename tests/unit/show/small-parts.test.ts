import { describe, expect, it } from 'vitest';
import type { ParamSpec } from '../../../src/core/params/types.ts';
import { editDistance, suggest } from '../../../src/core/show/did-you-mean.ts';
import { fadeValue, type Fade } from '../../../src/core/show/fade.ts';
import { lineColumn } from '../../../src/core/show/load.ts';
import { isAddressOrRange } from '../../../src/core/show/sections/osc.ts';

describe('did you mean', () => {
  it('counts inserts, deletes, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('port', 'port')).toBe(0);
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('delegte', 'delegate')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only a plausible typo, case-insensitively', () => {
    expect(suggest('Cues', ['cues', 'credits'])).toBe('cues');
    expect(suggest('frobnicate', ['allowFrameCapture'])).toBeUndefined();
    expect(suggest('grade/contrst', ['grade/contrast', 'grade/exposure'])).toBe('grade/contrast');
  });
});

describe('fadeValue', () => {
  const vec: ParamSpec = { name: 'v', type: 'vec', length: 2, min: -1, max: 1, default: [0, 0], access: 'rw', description: '' };
  const fade: Fade = { param: 'v', source: 'cue', from: [0, 1], to: [1, -1], start: 0, duration: 2, release: false };

  it('interpolates vectors element by element and lands on the target', () => {
    expect(fadeValue(vec, fade, 0.25)).toEqual([0.25, 0.5]);
    expect(fadeValue(vec, fade, 1)).toEqual([1, -1]);
  });
});

describe('small helpers', () => {
  it('finds line and column of a character offset', () => {
    expect(lineColumn('{\n  "a": 1,\n}', 12)).toEqual({ line: 3, column: 1 });
    expect(lineColumn('{}', 0)).toEqual({ line: 1, column: 1 });
  });

  it('accepts IPv4/IPv6 addresses and CIDR ranges, and refuses bad prefixes', () => {
    expect(isAddressOrRange('192.168.1.0/24')).toBe(true);
    expect(isAddressOrRange('::1')).toBe(true);
    expect(isAddressOrRange('fe80::/10')).toBe(true);
    expect(isAddressOrRange('10.0.0.0/33')).toBe(false);
    expect(isAddressOrRange('256.1.1.1')).toBe(false);
    expect(isAddressOrRange('example.com')).toBe(false);
  });
});
