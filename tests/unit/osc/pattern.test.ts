import { describe, expect, it } from 'vitest';
import { compilePattern, matches } from '../../../src/core/osc/pattern.ts';
import { oscJsDispatcher, typed } from './oscjs.ts';

describe('OSC 1.0 pattern matching, part by part', () => {
  it.each([
    ['/sitter/walk/speed', '/sitter/walk/speed', true],
    ['/sitter/walk/?peed', '/sitter/walk/speed', true],
    ['/sitter/walk/*', '/sitter/walk/speed', true],
    ['/sitter/*/speed', '/sitter/walk/speed', true],
    ['/sitter/walk/*d', '/sitter/walk/speed', true],
    ['/sitter/walk/s*e*d', '/sitter/walk/speed', true],
    ['/sitter/steer/[0-3]', '/sitter/steer/2', true],
    ['/sitter/steer/[0-3]', '/sitter/steer/5', false],
    ['/sitter/steer/[!0-3]', '/sitter/steer/5', true],
    ['/sitter/steer/[!0-3]', '/sitter/steer/2', false],
    ['/sitter/steer/[135]', '/sitter/steer/3', true],
    ['/sitter/steer/[135]', '/sitter/steer/4', false],
    ['/sitter/grade/{exposure,contrast}', '/sitter/grade/contrast', true],
    ['/sitter/grade/{exposure,contrast}', '/sitter/grade/tint', false],
    ['/sitter/{walk,grade}/*', '/sitter/grade/tint', true],
    ['/sitter/layout/grid-*', '/sitter/layout/grid-spread', true],
    ['/sitter/a[-x]b', '/sitter/a-b', true],
    ['/sitter/a[x-]b', '/sitter/a-b', true],
    ['/sitter/a.b', '/sitter/axb', false],
    ['/sitter/a(b)', '/sitter/a(b)', true],
  ])('%s vs %s → %s', (pattern, address, expected) => {
    expect(matches(pattern, address)).toBe(expected);
  });

  it('never lets * cross a slash', () => {
    expect(matches('/sitter/*', '/sitter/walk/speed')).toBe(false);
    expect(matches('/*', '/sitter/walk/speed')).toBe(false);
    expect(matches('/*/*/*', '/sitter/walk/speed')).toBe(true);
  });

  it('never lets ? match a slash', () => {
    expect(matches('/sitter?walk/speed', '/sitter/walk/speed')).toBe(false);
  });

  it('matches the whole address, not a suffix', () => {
    expect(matches('/walk/speed', '/sitter/walk/speed')).toBe(false);
    expect(matches('/speed', '/sitter/walk/speed')).toBe(false);
  });

  it('refuses malformed patterns instead of guessing', () => {
    expect(compilePattern('/sitter/[abc').ok).toBe(false);
    expect(compilePattern('/sitter/{a,b').ok).toBe(false);
    expect(compilePattern('/sitter/a]').ok).toBe(false);
    expect(compilePattern('/sitter/[z-a]').ok).toBe(false);
    expect(compilePattern('sitter/walk').ok).toBe(false);
  });

  it('differs from osc-js exactly where osc-js is looser than the spec', () => {
    const { osc, dispatch } = oscJsDispatcher();
    const hits: string[] = [];
    osc.on('/sitter/walk/speed', () => hits.push('speed'));
    // osc-js: '*' becomes '.*' and crosses '/': one level of wildcard reaches two levels down.
    dispatch(typed('/sitter/*', ['f', 1]));
    // osc-js: the test is unanchored at the start, so a suffix of the handler's address matches.
    dispatch(typed('/speed', ['f', 1]));
    expect(hits).toEqual(['speed', 'speed']);
    expect(matches('/sitter/*', '/sitter/walk/speed')).toBe(false);
    expect(matches('/speed', '/sitter/walk/speed')).toBe(false);
  });
});
