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

  constructor(parent: HTMLElement, bus: SitterBus) {
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
  }

  dispose(): void {
    this.element.remove();
    this.rows.length = 0;
  }
}
