import type { SitterBus } from '../core/params/catalogue.ts';
import { el, SANS } from './overlay-style.ts';

/** What the credits overlay needs from a model card (card.json's credits line and licence). */
export interface CreditsCard {
  readonly credits: string;
  readonly licence: string;
}

/** Seconds the overlay takes to fade in or out: a gallery caption, not a pop-up. */
export const CREDITS_FADE_S = 1.2;

/**
 * The credits caption: the model card's credits line and licence, shown while `credits/visible` is true (the app's
 * schedule sets it). Nothing shows without a card: an empty caption would look like a fault.
 */
export class CreditsOverlay {
  readonly element: HTMLDivElement;
  private readonly line: HTMLDivElement;
  private readonly licence: HTMLDivElement;
  private card: CreditsCard | null = null;
  private bus: SitterBus;
  private shown = false;

  constructor(parent: HTMLElement, bus: SitterBus) {
    this.bus = bus;
    const doc = parent.ownerDocument;
    this.element = el(doc, 'div', {
      position: 'absolute', left: '0', right: '0', bottom: '5vh', zIndex: '9', textAlign: 'center', pointerEvents: 'none',
      font: SANS, color: '#f0ede6', textShadow: '0 1px 3px rgba(0, 0, 0, 0.9)', opacity: '0',
      transition: `opacity ${CREDITS_FADE_S}s ease`, letterSpacing: '0.02em',
    });
    this.element.dataset.sitter = 'credits';
    this.element.setAttribute('role', 'note');
    this.line = el(doc, 'div', {});
    this.licence = el(doc, 'div', { opacity: '0.75', font: '13px/1.4 system-ui, "DejaVu Sans", sans-serif' });
    this.element.append(this.line, this.licence);
    parent.appendChild(this.element);
  }

  setCard(card: CreditsCard | null): void {
    this.card = card;
    this.line.textContent = card ? card.credits : '';
    this.licence.textContent = card ? `Licence: ${card.licence}` : '';
  }

  setBus(bus: SitterBus): void {
    this.bus = bus;
  }

  /** Call every display frame (reads one bool; touches the DOM only when visibility changes). */
  update(): void {
    const show = this.card !== null && this.bus.bool('credits/visible');
    if (show === this.shown) return;
    this.shown = show;
    this.element.style.opacity = show ? '1' : '0';
  }

  isShown(): boolean {
    return this.shown;
  }

  dispose(): void {
    this.element.remove();
  }
}
