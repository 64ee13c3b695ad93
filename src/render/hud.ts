import type { BridgeCounters } from '../core/osc/ws-protocol.ts';
import { isParamName, type ParamName, type SitterBus } from '../core/params/catalogue.ts';
import type { ParamSpec, ParamValue } from '../core/params/types.ts';
import { el, MONO } from './overlay-style.ts';

/** How often the HUD rewrites its text: often enough to read, rarely enough to cost nothing. */
export const HUD_REFRESH_S = 0.25;

/** A value as the operator reads it, with its unit: "59.8 fps", "tour", "yes". */
export function formatValue(spec: ParamSpec, v: ParamValue): string {
  const unit = 'unit' in spec && spec.unit ? ` ${spec.unit}` : '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (spec.type === 'int') return `${v}${unit}`;
    const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
    return `${v.toFixed(digits)}${unit}`;
  }
  return `[${v.map((x) => x.toFixed(2)).join(', ')}]${unit}`;
}

/** A HUD row that is not a parameter (the OSC bridge's counters): label and text. */
export interface HudRow {
  readonly label: string;
  readonly text: string;
}

/**
 * The bridge's counters as HUD rows: what desks sent and what reached the page, what the bridge dropped and why, and
 * what the kernel dropped before the bridge could read it (the flood nobody else sees).
 */
export function bridgeRows(c: BridgeCounters | null): HudRow[] {
  // The same rows before the first figures, so nothing stale stays on screen when they arrive.
  if (!c) return ['osc/in', 'osc/to-page', 'osc/dropped', 'osc/kernel-drops'].map((label) => ({ label, text: '–' }));
  const n = (x: number): string => Math.round(x).toLocaleString('en-GB');
  const reasons = Object.entries(c.dropped).filter(([, v]) => v > 0);
  const dropped = reasons.reduce((a, [, v]) => a + v, 0);
  return [
    { label: 'osc/in', text: `${c.receivedPerSecond.toFixed(1)}/s (${n(c.received)})` },
    { label: 'osc/to-page', text: `${c.forwardedPerSecond.toFixed(1)}/s (${n(c.forwarded)})` },
    { label: 'osc/dropped', text: dropped === 0 ? '0' : `${n(dropped)}: ${reasons.map(([k, v]) => `${k} ${n(v)}`).join(', ')}` },
    {
      label: 'osc/kernel-drops',
      text: c.kernelDrops === null ? 'unknown' : `${n(c.kernelDrops)}${c.kernelDropsSource === 'system' ? ' (all UDP on this machine)' : ''}`,
    },
  ];
}

/**
 * The operator HUD: one row per parameter the catalogue marks `hud: true` (status values and the most used
 * controls), so a new HUD value is added in the catalogue, not here. Shown while `hud/visible` is true.
 */
export class Hud {
  readonly element: HTMLDivElement;
  private readonly rows: { spec: ParamSpec; name: ParamName; value: HTMLElement; last: string }[] = [];
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private bus: SitterBus;
  private visible = false;
  private readonly extraRows = new Map<string, { value: HTMLElement; last: string }>();

  /** `extra`: rows that are not parameters (the desk bridge's counters), read at the HUD's own refresh pace. */
  constructor(parent: HTMLElement, bus: SitterBus, private readonly extra: () => readonly HudRow[] = () => []) {
    this.bus = bus;
    const doc = parent.ownerDocument;
    this.element = el(doc, 'div', {
      position: 'absolute', top: '12px', left: '12px', zIndex: '10', padding: '8px 12px', font: MONO, color: '#e8e8e8',
      background: 'rgba(0, 0, 0, 0.62)', borderRadius: '4px', pointerEvents: 'none', display: 'none',
      gridTemplateColumns: 'auto auto', gap: '0 16px', whiteSpace: 'nowrap',
    });
    this.element.dataset.sitter = 'hud';
    this.element.setAttribute('aria-hidden', 'true');
    for (const spec of bus.specs()) {
      if (!spec.hud || !isParamName(spec.name)) continue;
      const label = el(doc, 'span', { color: '#9a9a9a' }, spec.name);
      const value = el(doc, 'span', {}, '');
      value.dataset.param = spec.name;
      this.element.append(label, value);
      this.rows.push({ spec, name: spec.name, value, last: '' });
    }
    parent.appendChild(this.element);
  }

  setBus(bus: SitterBus): void {
    this.bus = bus;
    this.lastRefresh = Number.NEGATIVE_INFINITY;
  }

  /** Call every display frame with the clock's seconds; rewrites text at most every HUD_REFRESH_S, only what changed. */
  update(now: number): void {
    const visible = this.bus.bool('hud/visible');
    if (visible !== this.visible) {
      this.visible = visible;
      this.element.style.display = visible ? 'grid' : 'none';
      this.lastRefresh = Number.NEGATIVE_INFINITY;
    }
    if (!visible || now - this.lastRefresh < HUD_REFRESH_S) return;
    this.lastRefresh = now;
    for (const row of this.rows) {
      const text = formatValue(row.spec, this.bus.get(row.name));
      if (text !== row.last) {
        row.value.textContent = text;
        row.last = text;
      }
    }
    for (const { label, text } of this.extra()) {
      let row = this.extraRows.get(label);
      if (!row) {
        const doc = this.element.ownerDocument;
        const value = el(doc, 'span', {}, '');
        value.dataset.row = label;
        this.element.append(el(doc, 'span', { color: '#9a9a9a' }, label), value);
        row = { value, last: '' };
        this.extraRows.set(label, row);
      }
      if (text !== row.last) {
        row.value.textContent = text;
        row.last = text;
      }
    }
  }

  dispose(): void {
    this.element.remove();
    this.rows.length = 0;
    this.extraRows.clear();
  }
}
