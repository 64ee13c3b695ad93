import { coerce, describeGot, fromNormalised } from './coerce.ts';
import { SOURCE_PRIORITY, type ParamChange, type ParamSpec, type ParamValue, type Source } from './types.ts';

export type SetResult =
  | { readonly ok: true; readonly value: ParamValue; readonly clamped: boolean }
  | { readonly ok: false; readonly error: string };

export interface SetOptions {
  /** Skip smoothing: the current value jumps to the target (cue fades do their own interpolation). */
  readonly immediate?: boolean;
}

export type ChangeListener = (change: ParamChange) => void;

/** One write to a source's layer, as it reached the bus (after coercion): what a recording keeps. */
export type BusInput =
  | { readonly op: 'set'; readonly name: string; readonly value: ParamValue; readonly source: Source; readonly immediate: boolean }
  | { readonly op: 'release'; readonly name: string; readonly source: Source; readonly immediate: boolean }
  | { readonly op: 'release-all'; readonly source: Source; readonly immediate: boolean };

export type InputListener = (input: BusInput) => void;

const SOURCES_BY_PRIORITY: readonly Source[] = (Object.keys(SOURCE_PRIORITY) as Source[]).sort(
  (a, b) => SOURCE_PRIORITY[b] - SOURCE_PRIORITY[a],
);

interface Slot {
  readonly spec: ParamSpec;
  readonly layers: Map<Source, ParamValue>;
  target: ParamValue;
  owner: Source;
  /** Smoothed numeric state for float/vec specs; the value itself for the others. */
  current: ParamValue;
}

/**
 * The parameter bus: the one place every controllable value lives. Each source (show, pose, cue, desk) holds
 * its own layer; the highest-priority layer that holds a value decides the target, so it is always known why a
 * value is what it is (`owner`). Floats and vectors move towards their target with the spec's smoothing on tick().
 * `N` is the type of the names it takes: the page's bus (`SitterBus`) takes only catalogue names, so a misspelt name
 * fails to compile; code that holds names from outside (OSC addresses, show files) narrows them with isParamName().
 */
export class ParameterBus<N extends string = string> {
  private readonly slots = new Map<string, Slot>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly inputListeners = new Set<InputListener>();
  private readonly ordered: readonly ParamSpec[];

  constructor(specs: readonly ParamSpec[]) {
    for (const spec of specs) {
      if (this.slots.has(spec.name)) throw new Error(`parameter "${spec.name}" is declared twice`);
      const check = coerce(spec, spec.default);
      if (!check.ok || check.clamped) {
        throw new Error(`parameter "${spec.name}": default ${describeGot(spec.default)} is not ${check.ok ? 'in range' : check.expected}`);
      }
      // Vectors get their own array: tick() smooths in place and must never touch the spec's default.
      const current: ParamValue = Array.isArray(spec.default) ? [...(spec.default as readonly number[])] : spec.default;
      this.slots.set(spec.name, { spec, layers: new Map(), target: spec.default, owner: 'show', current });
    }
    this.ordered = specs;
  }

  specs(): readonly ParamSpec[] {
    return this.ordered;
  }

  spec(name: string): ParamSpec | undefined {
    return this.slots.get(name)?.spec;
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** Writes a value for one source. Read-only parameters refuse it; use report() for status values. */
  set(name: N, input: unknown, source: Source, options: SetOptions = {}): SetResult {
    const slot = this.slots.get(name);
    if (!slot) return { ok: false, error: `unknown parameter "${name}"` };
    if (slot.spec.access === 'r') return { ok: false, error: `parameter "${name}" is read-only` };
    const c = coerce(slot.spec, input);
    if (!c.ok) return { ok: false, error: `${name}: expected ${c.expected}, got ${c.got}` };
    slot.layers.set(source, c.value);
    this.resolve(slot, options.immediate === true);
    if (this.inputListeners.size > 0) this.input({ op: 'set', name, value: c.value, source, immediate: options.immediate === true });
    return { ok: true, value: c.value, clamped: c.clamped };
  }

  /** Like set(), with a desk's 0..1 fader position mapped onto the parameter's range. */
  setNormalised(name: N, x: number, source: Source, options: SetOptions = {}): SetResult {
    const spec = this.slots.get(name)?.spec;
    if (!spec) return { ok: false, error: `unknown parameter "${name}"` };
    const c = fromNormalised(spec, x);
    if (!c.ok) return { ok: false, error: `${name}: expected ${c.expected}, got ${c.got}` };
    return this.set(name, c.value, source, options);
  }

  /** For the app's own status values (fps, backend…), which no outside source may write. */
  report(name: N, input: unknown): SetResult {
    const slot = this.slots.get(name);
    if (!slot) return { ok: false, error: `unknown parameter "${name}"` };
    const c = coerce(slot.spec, input);
    if (!c.ok) return { ok: false, error: `${name}: expected ${c.expected}, got ${c.got}` };
    slot.layers.set('show', c.value);
    this.resolve(slot, true);
    return { ok: true, value: c.value, clamped: c.clamped };
  }

  /** Drops one source's hold on a parameter; the next source down takes over. */
  release(name: N, source: Source, options: SetOptions = {}): void {
    const slot = this.slots.get(name);
    if (!slot || !slot.layers.delete(source)) return;
    this.resolve(slot, options.immediate === true);
    if (this.inputListeners.size > 0) this.input({ op: 'release', name, source, immediate: options.immediate === true });
  }

  releaseAll(source: Source, options: SetOptions = {}): void {
    for (const slot of this.slots.values()) {
      if (slot.layers.delete(source)) this.resolve(slot, options.immediate === true);
    }
    if (this.inputListeners.size > 0) this.input({ op: 'release-all', source, immediate: options.immediate === true });
  }

  /**
   * Every write to a layer (set, release, release-all; not the app's own report()), in order: a recording of these
   * and of the frame times replays the bus exactly.
   */
  observeInputs(listener: InputListener): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }

  private input(i: BusInput): void {
    for (const l of this.inputListeners) l(i);
  }

  /** The value the parameter would have if `source` and every source above it let go (a fade's resting point). */
  valueBeneath(name: N, source: Source): ParamValue {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`unknown parameter "${name}"`);
    for (const s of SOURCES_BY_PRIORITY) {
      if (SOURCE_PRIORITY[s] >= SOURCE_PRIORITY[source]) continue;
      const v = slot.layers.get(s);
      if (v !== undefined) return v;
    }
    return slot.spec.default;
  }

  /** The current (smoothed) value. */
  get(name: N): ParamValue {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`unknown parameter "${name}"`);
    return slot.current;
  }

  number(name: N): number {
    const v = this.get(name);
    if (typeof v !== 'number') throw new TypeError(`parameter "${name}" is not a number`);
    return v;
  }

  bool(name: N): boolean {
    const v = this.get(name);
    if (typeof v !== 'boolean') throw new TypeError(`parameter "${name}" is not a bool`);
    return v;
  }

  string(name: N): string {
    const v = this.get(name);
    if (typeof v !== 'string') throw new TypeError(`parameter "${name}" is not an enum`);
    return v;
  }

  vec(name: N): readonly number[] {
    const v = this.get(name);
    if (!Array.isArray(v)) throw new TypeError(`parameter "${name}" is not a vector`);
    return v as readonly number[];
  }

  /** The value the parameter is moving to. */
  target(name: N): ParamValue {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`unknown parameter "${name}"`);
    return slot.target;
  }

  /** Which source decides the parameter now. */
  owner(name: N): Source {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`unknown parameter "${name}"`);
    return slot.owner;
  }

  /** What one source holds for a parameter, if anything (a cue fade starts from here). */
  layer(name: N, source: Source): ParamValue | undefined {
    return this.slots.get(name)?.layers.get(source);
  }

  /** Advances smoothing by dt seconds. Allocates nothing for floats; vectors reuse their array. */
  tick(dt: number): void {
    if (!(dt > 0)) return;
    for (const slot of this.slots.values()) {
      const spec = slot.spec;
      if (spec.type !== 'float' && spec.type !== 'vec') continue;
      const tau = spec.smoothing ?? 0;
      if (tau <= 0) continue;
      const k = 1 - Math.exp(-dt / tau);
      if (spec.type === 'float') {
        const cur = slot.current as number;
        const tgt = slot.target as number;
        const next = cur + (tgt - cur) * k;
        // Snap when closer than a millionth of the range, so smoothing ends and equality checks hold.
        slot.current = Math.abs(tgt - next) <= (spec.max - spec.min) * 1e-6 ? tgt : next;
      } else {
        const cur = slot.current as number[];
        const tgt = slot.target as readonly number[];
        for (let i = 0; i < cur.length; i++) {
          const c = cur[i] as number;
          const t = tgt[i] as number;
          const next = c + (t - c) * k;
          cur[i] = Math.abs(t - next) <= (spec.max - spec.min) * 1e-6 ? t : next;
        }
      }
    }
  }

  /** Every parameter's target, for persistence and feedback. */
  snapshot(): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const [name, slot] of this.slots) out[name] = slot.target;
    return out;
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  private resolve(slot: Slot, immediate: boolean): void {
    let target: ParamValue = slot.spec.default;
    let owner: Source = 'show';
    for (const source of SOURCES_BY_PRIORITY) {
      const v = slot.layers.get(source);
      if (v !== undefined) {
        target = v;
        owner = source;
        break;
      }
    }
    const changed = !sameValue(target, slot.target) || owner !== slot.owner;
    slot.target = target;
    slot.owner = owner;
    const smooth = (slot.spec.type === 'float' || slot.spec.type === 'vec') && (slot.spec.smoothing ?? 0) > 0;
    if (immediate || !smooth) {
      slot.current = Array.isArray(target) ? [...(target as readonly number[])] : target;
    } else if (slot.spec.type === 'vec' && !Array.isArray(slot.current)) {
      slot.current = [...(target as readonly number[])];
    }
    if (changed) {
      const change: ParamChange = { name: slot.spec.name, target, source: owner };
      for (const l of this.listeners) l(change);
    }
  }
}

function sameValue(a: ParamValue, b: ParamValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  return a === b;
}
