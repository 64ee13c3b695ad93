/**
 * OSC 1.0 address pattern matching ("OSC Message Dispatching and Pattern Matching", opensoundcontrol.org spec 1.0):
 * a pattern matches an address when both have the same number of '/'-separated parts and each pattern part matches
 * the address part, where
 *   ?        matches any single character
 *   *        matches any sequence of zero or more characters
 *   [abc]    matches one of the characters; a-z is a range; [!…] negates; '-' first or last is literal
 *   {ab,cd}  matches one of the comma-separated strings
 * Nothing crosses a '/': osc-js turns '*' into '.*' over the whole address, so there '/sitter/*' also matches
 * '/sitter/walk/speed', and its unanchored test lets '/speed' match '/sitter/walk/speed'. Here neither happens.
 */

export type PartMatcher = string | RegExp;

export interface CompiledPattern {
  readonly source: string;
  /** One matcher per part: a plain string when the part has no special characters (compared with ===). */
  readonly parts: readonly PartMatcher[];
  /** True when no part has a wildcard: the pattern can only match the address equal to it. */
  readonly literal: boolean;
}

export type CompileResult = { readonly ok: true; readonly pattern: CompiledPattern } | { readonly ok: false; readonly error: string };

const SPECIAL = /[*?[\]{}]/;

/** True when the address contains any OSC pattern character (so it must be matched, not looked up). */
export function isPattern(address: string): boolean {
  return SPECIAL.test(address);
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Translates one pattern part into a regular expression source, or returns an error for malformed brackets. */
function partToRegex(part: string): string | { error: string } {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i] as string;
    if (ch === '*') {
      out += '.*';
    } else if (ch === '?') {
      out += '.';
    } else if (ch === '[') {
      const close = part.indexOf(']', i + 1);
      if (close < 0) return { error: `unclosed "[" in "${part}"` };
      let body = part.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!')) {
        negate = true;
        body = body.slice(1);
      }
      if (body.length === 0) return { error: `empty "[]" in "${part}"` };
      let cls = '';
      for (let k = 0; k < body.length; k++) {
        const c = body[k] as string;
        const next = body[k + 2];
        // A '-' between two characters is a range; first or last it is a literal '-' (OSC 1.0).
        if (body[k + 1] === '-' && next !== undefined) {
          if (c > next) return { error: `reversed range "${c}-${next}" in "${part}"` };
          cls += `${escapeRegex(c)}-${escapeRegex(next)}`;
          k += 2;
        } else {
          cls += escapeRegex(c);
        }
      }
      out += negate ? `[^${cls}]` : `[${cls}]`;
      i = close;
    } else if (ch === '{') {
      const close = part.indexOf('}', i + 1);
      if (close < 0) return { error: `unclosed "{" in "${part}"` };
      const options = part.slice(i + 1, close).split(',');
      out += `(?:${options.map((o) => [...o].map(escapeRegex).join('')).join('|')})`;
      i = close;
    } else if (ch === ']' || ch === '}') {
      return { error: `stray "${ch}" in "${part}"` };
    } else {
      out += escapeRegex(ch);
    }
  }
  return out;
}

export function compilePattern(source: string): CompileResult {
  if (!source.startsWith('/')) return { ok: false, error: `address "${source}" does not start with "/"` };
  const raw = source.slice(1).split('/');
  const parts: PartMatcher[] = [];
  let literal = true;
  for (const part of raw) {
    if (!isPattern(part)) {
      parts.push(part);
      continue;
    }
    literal = false;
    const rx = partToRegex(part);
    if (typeof rx !== 'string') return { ok: false, error: rx.error };
    // 's' so that '?' and '*' match any character (there are no newlines in sane addresses, but be exact).
    parts.push(new RegExp(`^${rx}$`, 's'));
  }
  return { ok: true, pattern: { source, parts, literal } };
}

/** Matches a compiled pattern against an address already split into parts (without the leading empty one). */
export function matchParts(pattern: CompiledPattern, addressParts: readonly string[]): boolean {
  const p = pattern.parts;
  if (p.length !== addressParts.length) return false;
  for (let i = 0; i < p.length; i++) {
    const m = p[i] as PartMatcher;
    const a = addressParts[i] as string;
    if (typeof m === 'string' ? m !== a : !m.test(a)) return false;
  }
  return true;
}

/** Convenience for tests and one-off checks: does the pattern match the address? Malformed patterns match nothing. */
export function matches(patternSource: string, address: string): boolean {
  const c = compilePattern(patternSource);
  if (!c.ok || !address.startsWith('/')) return false;
  return matchParts(c.pattern, address.slice(1).split('/'));
}
