import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/core/show/issues.ts';
import { loadShow } from '../../../src/core/show/load.ts';

/** A value nested `depth` lists deep, written as text (a generated file, not a fixture of 20 KB of brackets). */
function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('a show file value nested thousands deep', () => {
  // Found by hand: check-show died with a raw RangeError and `npm start` printed only "Maximum call stack size exceeded".
  for (const [where, text] of [
    ['a start value', `{ "params": { "grade/contrast": ${nested(10_000)} } }`],
    ['a walk value', `{ "walk": { "speed": ${nested(10_000)} } }`],
    ['a cue target', `{ "cues": [{ "number": 1, "targets": { "paint/amount": ${nested(10_000)} } }] }`],
  ] as const) {
    it(`in ${where} gets a short message with its path`, () => {
      const result = loadShow(text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const lines = result.issues.map(formatIssue);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.length).toBeLessThan(240);
      expect(lines.join('\n')).toMatch(/expected .*got \[\[\[\[…\]\]\]\]$/m);
    });
  }

  it('a very long list is described by its first items and a count', () => {
    const result = loadShow(`{ "params": { "grade/contrast": [${Array.from({ length: 5000 }, (_, i) => i).join(',')}] } }`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual(['params["grade/contrast"]: expected a number from 0 to 2, got [0, 1, 2, 3, 4, 5, 6, 7, … 4992 more]']);
  });
});
