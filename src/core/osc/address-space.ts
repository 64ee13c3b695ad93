import type { ParamSpec } from '../params/types.ts';
import { compilePattern, isPattern, matchParts } from './pattern.ts';

/** The commands with a fixed address under the prefix (cue/<n> is matched separately: its numbers are unbounded). */
export const COMMAND_ADDRESSES = ['cue/go', 'cue/back', 'portrait/goto', 'hud', 'blackout', 'panic', 'learn', 'learn/cancel', 'tempo/beat', 'tempo/tap', 'record'] as const;
export type CommandName = (typeof COMMAND_ADDRESSES)[number] | 'cue/n';

export const DEFAULT_PREFIX = '/sitter';
/** `/sitter/norm/<param>` takes a 0..1 fader position instead of the parameter's own unit. */
export const NORM_SEGMENT = 'norm';

export type Route =
  | { readonly kind: 'param'; readonly address: string; readonly spec: ParamSpec; readonly normalised: boolean }
  | { readonly kind: 'command'; readonly address: string; readonly command: CommandName; readonly cueIndex?: number };

export type Lookup = { readonly ok: true; readonly routes: readonly Route[] } | { readonly ok: false; readonly error: string };

/** Patterns seen are cached; a desk sends the same few over and over, a hostile sender many: bound the cache. */
const PATTERN_CACHE_LIMIT = 256;
const CUE_NUMBER = /^\d{1,6}$/;

/**
 * The OSC address space, derived from the parameter specs: every parameter at `<prefix>/<name>` (own unit) and,
 * when it has a single fader, at `<prefix>/norm/<name>` (0..1); plus the command addresses. Literal addresses are
 * one Map lookup; patterns are matched part by part (OSC 1.0) against parameters only — a wildcard sweep over
 * faders must never fire a cue, a blackout or a panic, so commands answer to their literal address alone.
 */
export class AddressSpace {
  readonly prefix: string;
  private readonly literal = new Map<string, readonly Route[]>();
  private readonly paramRoutes: { route: Route; parts: readonly string[] }[] = [];
  private readonly patternCache = new Map<string, Lookup>();
  private readonly cuePrefix: string;

  constructor(specs: readonly ParamSpec[], prefix: string = DEFAULT_PREFIX) {
    this.prefix = prefix;
    this.cuePrefix = `${prefix}/cue/`;
    for (const spec of specs) {
      this.addParam({ kind: 'param', address: `${prefix}/${spec.name}`, spec, normalised: false });
      if (spec.type !== 'vec' && spec.access === 'rw') {
        this.addParam({ kind: 'param', address: `${prefix}/${NORM_SEGMENT}/${spec.name}`, spec, normalised: true });
      }
    }
    for (const command of COMMAND_ADDRESSES) {
      const address = `${prefix}/${command}`;
      if (this.literal.has(address)) throw new Error(`OSC address ${address} is both a parameter and a command`);
      this.literal.set(address, [{ kind: 'command', address, command }]);
    }
  }

  /** Every concrete address (parameters in both forms, commands), for docs, OSCQuery and tests. */
  addresses(): string[] {
    return [...this.literal.keys()];
  }

  lookup(address: string): Lookup {
    const hit = this.literal.get(address);
    if (hit) return { ok: true, routes: hit };
    if (address.startsWith(this.cuePrefix)) {
      const n = address.slice(this.cuePrefix.length);
      if (CUE_NUMBER.test(n)) return { ok: true, routes: [{ kind: 'command', address, command: 'cue/n', cueIndex: Number(n) }] };
    }
    if (!isPattern(address)) {
      return address.startsWith('/') ? { ok: true, routes: [] } : { ok: false, error: `address "${address}" does not start with "/"` };
    }
    const cached = this.patternCache.get(address);
    if (cached) return cached;
    const result = this.matchPattern(address);
    if (this.patternCache.size >= PATTERN_CACHE_LIMIT) this.patternCache.clear();
    this.patternCache.set(address, result);
    return result;
  }

  private matchPattern(address: string): Lookup {
    const c = compilePattern(address);
    if (!c.ok) return { ok: false, error: c.error };
    const routes: Route[] = [];
    for (const { route, parts } of this.paramRoutes) {
      if (matchParts(c.pattern, parts)) routes.push(route);
    }
    return { ok: true, routes };
  }

  private addParam(route: Route): void {
    if (this.literal.has(route.address)) throw new Error(`OSC address ${route.address} is declared twice`);
    this.literal.set(route.address, [route]);
    this.paramRoutes.push({ route, parts: route.address.slice(1).split('/') });
  }
}
