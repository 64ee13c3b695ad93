import type { ParamSpec } from '../params/types.ts';

/**
 * Learn mode: a foreign address (a lighting desk's /fader/3 sending 0..255, a MIDI bridge's /cc/7 sending 0..127)
 * is bound to a parameter, the way QLab and Chataigne learn incoming OSC. The table is plain data — the kiosk server
 * saves `toData()` as JSON and hands it back to `load()` at start.
 */
export interface LearnMapping {
  /** The foreign address, literal (no patterns). */
  readonly address: string;
  /** A parameter name from the catalogue, e.g. "walk/speed". */
  readonly param: string;
  /** The foreign range; inMin maps to the parameter's min, inMax to its max (inMin > inMax inverts). */
  readonly inMin: number;
  readonly inMax: number;
  /** Which argument carries the value (some desks send "/fader 3 0.5"). */
  readonly argIndex: number;
  /** Range guessed at learn time; widened when a value beyond it arrives (set false once the range is known). */
  readonly autoRange: boolean;
}

export interface LearnTableData {
  readonly version: 1;
  readonly mappings: readonly LearnMapping[];
}

export type LearnParse = { readonly ok: true; readonly data: LearnTableData } | { readonly ok: false; readonly error: string };

/** Common full-scale values of desks: normalised, MIDI 7-bit, DMX 8-bit, 10/12/14/16-bit faders. */
const FULL_SCALES = [1, 127, 255, 1023, 4095, 16383, 65535];

export function guessFullScale(v: number): number {
  const a = Math.abs(v);
  for (const s of FULL_SCALES) if (a <= s) return s;
  return a;
}

function learnable(spec: ParamSpec | undefined): string | null {
  if (!spec) return 'unknown parameter';
  if (spec.access !== 'rw') return 'read-only parameter';
  if (spec.type === 'vec') return 'a vector has no single fader';
  return null;
}

/** Validates untrusted JSON (a saved file) into table data, with errors that say where and what. */
export function parseLearnTable(input: unknown, specs: readonly ParamSpec[]): LearnParse {
  const byName = new Map(specs.map((s) => [s.name, s]));
  if (typeof input !== 'object' || input === null) return { ok: false, error: 'learn table: expected an object' };
  const o = input as Record<string, unknown>;
  if (o.version !== 1) return { ok: false, error: `learn table.version: expected 1, got ${JSON.stringify(o.version)}` };
  if (!Array.isArray(o.mappings)) return { ok: false, error: 'learn table.mappings: expected an array' };
  const out: LearnMapping[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < o.mappings.length; i++) {
    const at = `learn table.mappings[${i}]`;
    const m = o.mappings[i] as unknown;
    if (typeof m !== 'object' || m === null) return { ok: false, error: `${at}: expected an object` };
    const r = m as Record<string, unknown>;
    if (typeof r.address !== 'string' || !r.address.startsWith('/') || /[\s#*?,[\]{}]/.test(r.address)) {
      return { ok: false, error: `${at}.address: expected a literal OSC address, got ${JSON.stringify(r.address)}` };
    }
    if (seen.has(r.address)) return { ok: false, error: `${at}.address: ${r.address} is mapped twice` };
    if (typeof r.param !== 'string') return { ok: false, error: `${at}.param: expected a parameter name` };
    const why = learnable(byName.get(r.param));
    if (why) return { ok: false, error: `${at}.param: ${why} "${r.param}"` };
    for (const k of ['inMin', 'inMax'] as const) {
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) return { ok: false, error: `${at}.${k}: expected a finite number, got ${JSON.stringify(r[k])}` };
    }
    if (r.inMin === r.inMax) return { ok: false, error: `${at}: inMin and inMax are both ${String(r.inMin)}` };
    const argIndex = r.argIndex ?? 0;
    if (typeof argIndex !== 'number' || !Number.isInteger(argIndex) || argIndex < 0 || argIndex > 15) {
      return { ok: false, error: `${at}.argIndex: expected a whole number 0..15, got ${JSON.stringify(argIndex)}` };
    }
    seen.add(r.address);
    out.push({ address: r.address, param: r.param, inMin: r.inMin as number, inMax: r.inMax as number, argIndex, autoRange: r.autoRange === true });
  }
  return { ok: true, data: { version: 1, mappings: out } };
}

export class LearnTable {
  private readonly specs: ReadonlyMap<string, ParamSpec>;
  private readonly byAddress = new Map<string, LearnMapping>();
  private armedParam: string | null = null;
  private readonly listeners = new Set<(data: LearnTableData) => void>();

  constructor(specs: readonly ParamSpec[]) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
  }

  get armed(): string | null {
    return this.armedParam;
  }

  arm(param: string): { ok: true } | { ok: false; error: string } {
    const why = learnable(this.specs.get(param));
    if (why) return { ok: false, error: `cannot learn ${why} "${param}"` };
    this.armedParam = param;
    return { ok: true };
  }

  cancel(): void {
    this.armedParam = null;
  }

  get(address: string): LearnMapping | undefined {
    return this.byAddress.get(address);
  }

  /** Binds the armed parameter to this address, guessing the range from the first value; disarms. */
  bind(address: string, firstValue: number, argIndex = 0): LearnMapping | null {
    const param = this.armedParam;
    if (param === null) return null;
    this.armedParam = null;
    // Any earlier mapping to the same parameter goes: one desk control per parameter is what an operator expects.
    for (const [a, m] of this.byAddress) if (m.param === param) this.byAddress.delete(a);
    const mapping: LearnMapping = { address, param, inMin: 0, inMax: guessFullScale(firstValue), argIndex, autoRange: true };
    this.byAddress.set(address, mapping);
    this.changed();
    return mapping;
  }

  /** Maps a foreign value to 0..1, widening an auto range when the value lies beyond it. */
  normalise(mapping: LearnMapping, v: number): number {
    let m = mapping;
    if (m.autoRange && Math.abs(v) > Math.max(Math.abs(m.inMin), Math.abs(m.inMax))) {
      m = { ...m, inMax: guessFullScale(v) };
      this.byAddress.set(m.address, m);
      this.changed();
    }
    const x = (v - m.inMin) / (m.inMax - m.inMin);
    return x < 0 ? 0 : x > 1 ? 1 : x;
  }

  set(mapping: LearnMapping): { ok: true } | { ok: false; error: string } {
    const p = parseLearnTable({ version: 1, mappings: [mapping] }, [...this.specs.values()]);
    if (!p.ok) return p;
    this.byAddress.set(mapping.address, p.data.mappings[0] as LearnMapping);
    this.changed();
    return { ok: true };
  }

  remove(address: string): boolean {
    const had = this.byAddress.delete(address);
    if (had) this.changed();
    return had;
  }

  toData(): LearnTableData {
    return { version: 1, mappings: [...this.byAddress.values()] };
  }

  load(input: unknown): { ok: true } | { ok: false; error: string } {
    const p = parseLearnTable(input, [...this.specs.values()]);
    if (!p.ok) return p;
    this.byAddress.clear();
    for (const m of p.data.mappings) this.byAddress.set(m.address, m);
    this.changed();
    return { ok: true };
  }

  /** Called with the new table after every change, so the kiosk can persist it. */
  onChange(listener: (data: LearnTableData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const data = this.toData();
    for (const l of this.listeners) l(data);
  }
}
