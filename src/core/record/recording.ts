import type { BusInput, ParameterBus } from '../params/bus.ts';
import { SOURCE_PRIORITY, type ParamValue, type Source } from '../params/types.ts';

/**
 * A recording of a show's inputs: every write that reached the bus's layers (desk, MIDI, pose mappings, cue fades),
 * tempo events and the display frames' times, with show-clock timestamps — features only, never a camera frame.
 * Stored as JSON lines: a header, then one event per line. Replayed with the same model, show and seed, the walker
 * gives the same latents frame for frame (tests/unit/record/).
 */
export const RECORDING_FORMAT = 'sitter-recording/1';

export type TempoEventKind = 'beat' | 'tap' | 'clock' | 'start' | 'continue' | 'stop';

export type RecordEvent =
  /** A display frame: the app stepped the bus and the walk by dt at show time t. */
  | { readonly t: number; readonly kind: 'frame'; readonly dt: number }
  | { readonly t: number; readonly kind: 'input'; readonly input: BusInput }
  /** `at`: the event's own time (a beat pulse heard slightly earlier than the frame that handles it). */
  | { readonly t: number; readonly kind: 'tempo'; readonly event: TempoEventKind; readonly at: number };

export interface RecordingHeader {
  readonly format: typeof RECORDING_FORMAT;
  readonly show: string;
  /** Show-clock seconds of the first event. */
  readonly start: number;
  /** Replayed from the CLI (`npm start -- --replay`): start again at the end. Absent: play once. */
  readonly loop?: boolean;
}

export interface Recording {
  readonly header: RecordingHeader;
  readonly events: readonly RecordEvent[];
}

const SOURCES = Object.keys(SOURCE_PRIORITY) as Source[];
const TEMPO_EVENTS: readonly TempoEventKind[] = ['beat', 'tap', 'clock', 'start', 'continue', 'stop'];

export interface RecorderOptions {
  readonly show: string;
  /** Show-clock seconds (the clock the walk and the cues run on). */
  readonly now: () => number;
  /** Events held at most; beyond it the recording keeps nothing more (and says so). A pose-driven hour is ~1 M events. */
  readonly maxEvents?: number;
}

/**
 * Records from begin() to end(). It listens to the bus only while recording, so an idle recorder costs nothing per
 * write; the app feeds it frames and tempo events (ignored while not recording).
 */
export class Recorder {
  private events: RecordEvent[] = [];
  private start: number | null = null;
  private unobserve: (() => void) | null = null;
  private readonly bus: ParameterBus;
  private readonly o: RecorderOptions;
  /** True when the recording reached maxEvents and keeps no more (it stays on until end()). */
  truncated = false;

  constructor(bus: ParameterBus, o: RecorderOptions) {
    this.bus = bus;
    this.o = o;
  }

  get recording(): boolean {
    return this.start !== null;
  }

  get size(): number {
    return this.events.length;
  }

  /**
   * Starts a recording with the bus's state as it stands (every layer's values), so a replay into a fresh bus
   * begins where the show was.
   */
  begin(): void {
    this.unobserve?.();
    this.events = [];
    this.truncated = false;
    const t = this.o.now();
    this.start = t;
    const bus = this.bus;
    for (const spec of bus.specs()) {
      if (spec.access !== 'rw') continue;
      for (const source of SOURCES) {
        const value = bus.layer(spec.name, source);
        if (value !== undefined) this.events.push({ t, kind: 'input', input: { op: 'set', name: spec.name, value, source, immediate: true } });
      }
    }
    this.unobserve = bus.observeInputs((input) => this.push({ t: this.o.now(), kind: 'input', input }));
  }

  frame(dt: number): void {
    if (this.start !== null) this.push({ t: this.o.now(), kind: 'frame', dt });
  }

  tempo(event: TempoEventKind, atS: number = this.o.now()): void {
    if (this.start !== null) this.push({ t: this.o.now(), kind: 'tempo', event, at: atS });
  }

  /** Ends the recording and hands it over. */
  end(): Recording {
    this.unobserve?.();
    this.unobserve = null;
    const rec: Recording = { header: { format: RECORDING_FORMAT, show: this.o.show, start: this.start ?? this.o.now() }, events: this.events };
    this.events = [];
    this.start = null;
    return rec;
  }

  dispose(): void {
    this.unobserve?.();
    this.unobserve = null;
    this.events = [];
    this.start = null;
  }

  private push(e: RecordEvent): void {
    if (this.start === null || this.truncated) return;
    if (this.events.length >= (this.o.maxEvents ?? 2_000_000)) {
      this.truncated = true;
      return;
    }
    this.events.push(e);
  }
}

/** JSON lines: the header, then one event per line. Numbers round-trip exactly (shortest repr of a double). */
export function toJsonLines(rec: Recording): string {
  const lines = [JSON.stringify(rec.header)];
  for (const e of rec.events) lines.push(JSON.stringify(e));
  return `${lines.join('\n')}\n`;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isValue(x: unknown): x is ParamValue {
  return isNum(x) || typeof x === 'boolean' || typeof x === 'string' || (Array.isArray(x) && x.every(isNum));
}

function readInput(x: unknown): BusInput | string {
  if (!isObj(x)) return 'input: expected an object';
  if (typeof x.source !== 'string' || !(SOURCES as string[]).includes(x.source)) return `input.source: expected one of ${SOURCES.join(', ')}`;
  const source = x.source as Source;
  const immediate = x.immediate === true;
  if (x.op === 'release-all') return { op: 'release-all', source, immediate };
  if (typeof x.name !== 'string') return 'input.name: expected a parameter name';
  if (x.op === 'release') return { op: 'release', name: x.name, source, immediate };
  if (x.op !== 'set') return 'input.op: expected "set", "release" or "release-all"';
  if (!isValue(x.value)) return 'input.value: expected a number, bool, text or list of numbers';
  return { op: 'set', name: x.name, value: x.value, source, immediate };
}

export type ParsedRecording = { ok: true; recording: Recording } | { ok: false; errors: readonly string[] };

/**
 * Reads a recording line by line (push each line, then finish), so a caller can stop between lines: the kiosk
 * validates a 64 MiB upload in slices and keeps answering the desk in between. Every bad line is reported with its
 * number (up to 20), and nothing is returned then.
 */
export class RecordingParser {
  private n = 0;
  private header: RecordingHeader | null = null;
  private readonly events: RecordEvent[] = [];
  private readonly errors: string[] = [];
  private last = Number.NEGATIVE_INFINITY;

  /** False once 20 errors are in: the rest need not be read. */
  get wantsMore(): boolean {
    return this.errors.length < 20;
  }

  push(line: string): void {
    const n = ++this.n;
    if (n === 1) {
      const head = this.parse(line, 1);
      if (isObj(head) && head.format === RECORDING_FORMAT && typeof head.show === 'string' && isNum(head.start)) {
        this.header = { format: RECORDING_FORMAT, show: head.show, start: head.start, ...(head.loop === true ? { loop: true } : {}) };
      } else if (head !== undefined) this.errors.push(`line 1: expected the header {"format":"${RECORDING_FORMAT}","show":…,"start":…}`);
      return;
    }
    if (line.trim() === '' || !this.wantsMore) return;
    const e = this.parse(line, n);
    if (e === undefined) return;
    if (!isObj(e) || !isNum(e.t)) {
      this.errors.push(`line ${n}: expected an event with a time "t"`);
      return;
    }
    if (e.t < this.last) this.errors.push(`line ${n}: time ${e.t} goes back before ${this.last}`);
    this.last = e.t;
    if (e.kind === 'frame') {
      if (isNum(e.dt) && e.dt >= 0) this.events.push({ t: e.t, kind: 'frame', dt: e.dt });
      else this.errors.push(`line ${n}: frame.dt: expected seconds ≥ 0`);
    } else if (e.kind === 'tempo') {
      if (TEMPO_EVENTS.includes(e.event as TempoEventKind)) this.events.push({ t: e.t, kind: 'tempo', event: e.event as TempoEventKind, at: isNum(e.at) ? e.at : e.t });
      else this.errors.push(`line ${n}: tempo.event: expected one of ${TEMPO_EVENTS.join(', ')}`);
    } else if (e.kind === 'input') {
      const input = readInput(e.input);
      if (typeof input === 'string') this.errors.push(`line ${n}: ${input}`);
      else this.events.push({ t: e.t, kind: 'input', input });
    } else this.errors.push(`line ${n}: kind: expected "frame", "input" or "tempo"`);
  }

  finish(): ParsedRecording {
    if (this.n === 0) this.push('');
    const errors = this.errors.slice(0, 20);
    if (errors.length > 0 || this.header === null) return { ok: false, errors: errors.length > 0 ? errors : ['line 1: empty recording'] };
    return { ok: true, recording: { header: this.header, events: this.events } };
  }

  private parse(line: string, n: number): unknown {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      this.errors.push(`line ${n}: not JSON`);
      return undefined;
    }
  }
}

/** Reads a JSON-lines recording; every bad line is reported with its number, and nothing is returned then. */
export function parseRecording(text: string): ParsedRecording {
  const p = new RecordingParser();
  for (const line of text.split('\n')) {
    if (!p.wantsMore) break;
    p.push(line);
  }
  return p.finish();
}

/**
 * The part of a recording between two show times (seconds after its start). The bus state at `fromS` is kept as
 * the first events (every layer's last value then), so the trimmed recording starts where the show was.
 */
export function trimRecording(rec: Recording, fromS: number, toS: number = Number.POSITIVE_INFINITY): Recording {
  const from = rec.header.start + fromS;
  const to = rec.header.start + toS;
  const state = new Map<string, BusInput>();
  const out: RecordEvent[] = [];
  for (const e of rec.events) {
    if (e.t < from) {
      if (e.kind !== 'input') continue;
      const i = e.input;
      if (i.op === 'release-all') {
        for (const [k, v] of state) if (v.source === i.source) state.delete(k);
      } else if (i.op === 'release') state.delete(`${i.source}|${i.name}`);
      else state.set(`${i.source}|${i.name}`, i);
      continue;
    }
    if (e.t > to) break;
    out.push(e);
  }
  const lead: RecordEvent[] = [...state.values()].map((input) => ({ t: from, kind: 'input', input: { ...input, immediate: true } as BusInput }));
  return { header: { ...rec.header, start: from }, events: [...lead, ...out] };
}

export interface ReplayOptions {
  readonly bus: ParameterBus;
  /** Called at each recorded frame with its time and dt (an offline render steps the walk here). */
  readonly onFrame?: (t: number, dt: number) => void;
  readonly onTempo?: (event: TempoEventKind, t: number) => void;
  /**
   * Mixing with a live desk: recorded desk writes go to the cue layer, so a live fader (desk layer) overrides them
   * and letting go of it returns to the recording. Off, sources are kept as recorded (exact replay).
   */
  readonly underLive?: boolean;
  /** Starts again from the beginning at the end (the recording's first events restore its starting state). */
  readonly loop?: boolean;
}

/**
 * Plays a recording into a bus. `advanceTo(t)` applies everything up to t seconds after the replay's start (a live
 * replay, frame by frame); `runAll()` plays it through at once, calling onFrame for each recorded frame (an offline
 * replay: the same latents, frame for frame). Bad values are dropped by the bus's own checks and counted.
 */
export class Replayer {
  private next = 0;
  private offset = 0;
  dropped = 0;
  finished = false;

  constructor(private readonly rec: Recording, private readonly o: ReplayOptions) {}

  get duration(): number {
    const last = this.rec.events[this.rec.events.length - 1];
    return last ? last.t - this.rec.header.start : 0;
  }

  advanceTo(seconds: number): void {
    const events = this.rec.events;
    for (;;) {
      while (this.next < events.length) {
        const e = events[this.next] as RecordEvent;
        if (e.t - this.rec.header.start + this.offset > seconds) return;
        this.apply(e);
        this.next++;
      }
      const d = this.duration;
      if (!this.o.loop || events.length === 0 || !(d > 0)) {
        this.finished = true;
        return;
      }
      this.next = 0;
      this.offset += d;
    }
  }

  runAll(): void {
    for (const e of this.rec.events) this.apply(e);
    this.finished = true;
  }

  private apply(e: RecordEvent): void {
    switch (e.kind) {
      case 'frame':
        this.o.onFrame?.(e.t, e.dt);
        return;
      case 'tempo':
        this.o.onTempo?.(e.event, e.at);
        return;
      case 'input': {
        const i = e.input;
        const source: Source = this.o.underLive && i.source === 'desk' ? 'cue' : i.source;
        const opts = { immediate: i.immediate };
        if (i.op === 'release-all') this.o.bus.releaseAll(source, opts);
        else if (i.op === 'release') this.o.bus.release(i.name, source, opts);
        else if (!this.o.bus.has(i.name) || !this.o.bus.set(i.name, i.value, source, opts).ok) this.dropped++;
      }
    }
  }
}
