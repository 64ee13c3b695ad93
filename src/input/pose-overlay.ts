import type { SitterBus } from '../core/params/catalogue.ts';
import { POSE_BONES, visibilityOf, type PoseLandmarks } from '../core/pose/landmarks.ts';

/**
 * A debug overlay: the detected skeletons on a transparent 2D canvas, shown while `hud/skeleton` is on, and an
 * optional privacy notice (the show's text) that stays visible whatever the skeleton does. DOM only: the app
 * places `element` over the picture. It draws landmarks, never camera pixels.
 */
export interface PoseOverlayOptions {
  /** Text telling visitors what the camera does (and does not do); no notice when absent. */
  readonly privacyNotice?: string;
  /** Draw as in a mirror (x flipped), matching the mirrored features. */
  readonly mirror?: boolean;
  /** Subscribes to `hud/skeleton` to show and hide the skeleton. */
  readonly bus?: SitterBus;
  readonly document?: Document;
  /** Canvas size in pixels; the CSS stretches it over the picture. */
  readonly width?: number;
  readonly height?: number;
  readonly minVisibility?: number;
}

const COLOURS = ['#7cf3c6', '#f3c67c', '#c67cf3', '#7cc6f3'];

export class PoseOverlay {
  readonly element: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  readonly notice: HTMLParagraphElement | undefined;
  private readonly g: CanvasRenderingContext2D | null;
  private readonly unsubscribe: (() => void) | undefined;
  private visible = false;

  constructor(private readonly options: PoseOverlayOptions = {}) {
    const doc = options.document ?? document;
    this.element = doc.createElement('div');
    this.element.className = 'sitter-pose-overlay';
    this.element.style.cssText = 'position:absolute;inset:0;pointer-events:none;';
    this.canvas = doc.createElement('canvas');
    this.canvas.width = options.width ?? 640;
    this.canvas.height = options.height ?? 480;
    this.canvas.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;';
    this.canvas.hidden = true;
    this.element.append(this.canvas);
    this.g = this.canvas.getContext('2d');
    if (options.privacyNotice) {
      this.notice = doc.createElement('p');
      this.notice.className = 'sitter-privacy-notice';
      this.notice.textContent = options.privacyNotice;
      this.notice.style.cssText =
        'position:absolute;left:1em;bottom:1em;margin:0;max-width:40em;font:14px/1.4 system-ui,sans-serif;color:#fff;background:rgba(0,0,0,.55);padding:.4em .7em;border-radius:.3em;';
      this.element.append(this.notice);
    }
    const bus = options.bus;
    if (bus) {
      this.setVisible(bus.bool('hud/skeleton'));
      this.unsubscribe = bus.subscribe((c) => {
        if (c.name === 'hud/skeleton') this.setVisible(c.target === true);
      });
    }
  }

  setVisible(on: boolean): void {
    this.visible = on;
    this.canvas.hidden = !on;
    if (!on) this.clear();
  }

  isVisible(): boolean {
    return this.visible;
  }

  /** Draws every person's bones and joints; a no-op while hidden. */
  draw(people: readonly PoseLandmarks[]): void {
    const g = this.g;
    if (!g || !this.visible) return;
    const { width: w, height: h } = this.canvas;
    const minVis = this.options.minVisibility ?? 0.5;
    const px = (x: number): number => (this.options.mirror === false ? x : 1 - x) * w;
    g.clearRect(0, 0, w, h);
    g.lineWidth = Math.max(2, w / 320);
    people.forEach((pose, k) => {
      const colour = COLOURS[k % COLOURS.length] ?? '#fff';
      g.strokeStyle = colour;
      g.fillStyle = colour;
      g.beginPath();
      for (const [a, b] of POSE_BONES) {
        const p = pose[a];
        const q = pose[b];
        if (!p || !q || visibilityOf(p) < minVis || visibilityOf(q) < minVis) continue;
        g.moveTo(px(p.x), p.y * h);
        g.lineTo(px(q.x), q.y * h);
      }
      g.stroke();
      for (const p of pose) {
        if (visibilityOf(p) < minVis) continue;
        g.fillRect(px(p.x) - 3, p.y * h - 3, 6, 6);
      }
    });
  }

  clear(): void {
    this.g?.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Unsubscribes from the bus and removes the element from the page. */
  dispose(): void {
    this.unsubscribe?.();
    this.element.remove();
  }
}
