/**
 * Keeps feedback from fighting a desk's own fader (tweakpane's value-sync idea: a value arriving from one side must
 * not bounce straight back to it). While a desk is moving a parameter (input within `holdMs`), no feedback for it
 * is sent; once the desk lets go, the settled value is sent once — but only if it differs from what the desk itself
 * sent last (it was clamped, rounded to an int, or another source overrides the desk), so a TouchOSC fader never
 * jitters under a finger and still ends up showing the truth.
 */
export type AddressForm = 'unit' | 'norm';

interface DeskTouch {
  atMs: number;
  /** What the desk sent last, per form it used (a desk may drive /sitter/x and /sitter/norm/x alike). */
  unit?: number | boolean | string;
  norm?: number;
}

/** float32 on the wire: 0.3 comes back as 0.30000001192…; compare with a relative tolerance a fader cannot see. */
const TOLERANCE = 1e-6;

export function sameOscValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  return a === b;
}

export class EchoGuard {
  readonly holdMs: number;
  private readonly touches = new Map<string, DeskTouch>();

  constructor(holdMs = 300) {
    this.holdMs = holdMs;
  }

  /** The router calls this for every desk write it applies, with the value as the desk sent it (before clamping). */
  noteDesk(param: string, form: AddressForm, sent: number | boolean | string, nowMs: number): void {
    let t = this.touches.get(param);
    if (!t) {
      t = { atMs: nowMs };
      this.touches.set(param, t);
    }
    t.atMs = nowMs;
    if (form === 'norm' && typeof sent === 'number') t.norm = sent;
    else t.unit = sent;
  }

  /** True while the desk is still moving the parameter: feedback waits. */
  held(param: string, nowMs: number): boolean {
    const t = this.touches.get(param);
    return t !== undefined && nowMs - t.atMs < this.holdMs && nowMs >= t.atMs;
  }

  /** True when the desk already shows this value in this form (it sent it itself): no echo needed. */
  deskShows(param: string, form: AddressForm, value: unknown): boolean {
    const t = this.touches.get(param);
    if (!t) return false;
    const sent = form === 'norm' ? t.norm : t.unit;
    return sent !== undefined && sameOscValue(sent, value);
  }

  /** Feedback calls this after sending: what the desk shows now is what was sent, not what it sent before. */
  shown(param: string, form: AddressForm, value: number | boolean | string): void {
    let t = this.touches.get(param);
    if (!t) {
      t = { atMs: Number.NEGATIVE_INFINITY };
      this.touches.set(param, t);
    }
    if (form === 'norm' && typeof value === 'number') t.norm = value;
    else t.unit = value;
  }

  /** Forget a parameter's desk state (panic, release): the next change is echoed like any other. */
  forget(param?: string): void {
    if (param === undefined) this.touches.clear();
    else this.touches.delete(param);
  }
}
