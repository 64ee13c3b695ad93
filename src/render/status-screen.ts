import { el, MONO, SANS } from './overlay-style.ts';

export type StepState = 'waiting' | 'loading' | 'done' | 'failed';

export interface StatusStep {
  readonly id: string;
  readonly label: string;
  readonly state: StepState;
  /** 0..1 when known (bytes of weights fetched…), else null. */
  readonly progress: number | null;
  readonly message: string | null;
}

const GLYPH: Record<StepState, string> = { waiting: '·', loading: '…', done: '✓', failed: '✗' };

/** A readable message from anything thrown: the error's message (and its cause's), never "[object Object]". */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message || error.name}${cause}`;
  }
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * What the app shows before the scene, or instead of it: what is loading, a progress bar, and what failed with a
 * readable message. Visible from construction with a "starting" line, so the page is never blank, even if the
 * first module fails.
 */
export class StatusScreen {
  readonly element: HTMLDivElement;
  private readonly list: HTMLUListElement;
  private readonly bar: HTMLDivElement;
  private readonly error: HTMLDivElement;
  private readonly steps = new Map<string, { step: StatusStep; item: HTMLLIElement }>();

  constructor(parent: HTMLElement, title = 'Sitter') {
    const doc = parent.ownerDocument;
    this.element = el(doc, 'div', {
      position: 'absolute', inset: '0', zIndex: '20', display: 'flex', flexDirection: 'column', justifyContent: 'center',
      alignItems: 'center', background: '#000', color: '#ddd', font: SANS, padding: '5vh 5vw', boxSizing: 'border-box',
    });
    this.element.dataset.sitter = 'status';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.element.append(el(doc, 'div', { font: '28px/1.3 system-ui, "DejaVu Sans", sans-serif', margin: '0 0 24px', letterSpacing: '0.08em' }, title));
    const track = el(doc, 'div', { width: 'min(480px, 80vw)', height: '4px', background: '#333', borderRadius: '2px', overflow: 'hidden', margin: '0 0 20px' });
    this.bar = el(doc, 'div', { width: '0%', height: '100%', background: '#d8d2c4', transition: 'width 0.3s ease' });
    this.bar.setAttribute('role', 'progressbar');
    this.bar.setAttribute('aria-valuemin', '0');
    this.bar.setAttribute('aria-valuemax', '100');
    track.append(this.bar);
    this.list = el(doc, 'ul', { listStyle: 'none', margin: '0', padding: '0', width: 'min(480px, 80vw)', font: MONO });
    this.error = el(doc, 'div', { display: 'none', margin: '24px 0 0', maxWidth: 'min(720px, 90vw)', color: '#ff9b8a', whiteSpace: 'pre-wrap', textAlign: 'center' });
    this.error.setAttribute('role', 'alert');
    this.element.append(track, this.list, this.error);
    parent.appendChild(this.element);
    this.step('start', 'Starting');
  }

  /** Adds a step (or renames it) and marks it loading. */
  step(id: string, label: string): void {
    this.set(id, { label, state: 'loading', progress: null, message: null });
    // The first real step ends the "starting" line shown at construction.
    if (id !== 'start' && this.steps.get('start')?.step.state === 'loading') this.set('start', { state: 'done', progress: 1 });
  }

  /** Declares a step that will come later (shown dimmed), so the visitor and technician see the whole path. */
  expect(id: string, label: string): void {
    this.set(id, { label, state: 'waiting', progress: null, message: null });
  }

  progress(id: string, fraction: number): void {
    this.set(id, { state: 'loading', progress: Math.min(1, Math.max(0, fraction)) });
  }

  done(id: string): void {
    this.set(id, { state: 'done', progress: 1 });
  }

  /** Marks a step failed and shows why, in words (describeError for anything thrown). */
  fail(id: string, error: unknown): void {
    const message = describeError(error);
    this.set(id, { state: 'failed', message });
    const label = this.steps.get(id)?.step.label ?? id;
    this.error.textContent = `${label} failed: ${message}`;
    this.error.style.display = 'block';
  }

  /** Overall progress 0..1: done steps count 1, loading ones their fraction. */
  overall(): number {
    let sum = 0;
    for (const { step } of this.steps.values()) sum += step.state === 'done' ? 1 : step.state === 'loading' ? (step.progress ?? 0) : 0;
    return this.steps.size === 0 ? 0 : sum / this.steps.size;
  }

  snapshot(): readonly StatusStep[] {
    return [...this.steps.values()].map((s) => s.step);
  }

  hasFailed(): boolean {
    return [...this.steps.values()].some((s) => s.step.state === 'failed');
  }

  show(): void {
    this.element.style.display = 'flex';
  }

  hide(): void {
    this.element.style.display = 'none';
  }

  dispose(): void {
    this.element.remove();
    this.steps.clear();
  }

  private set(id: string, change: Partial<Omit<StatusStep, 'id'>>): void {
    const doc = this.element.ownerDocument;
    let entry = this.steps.get(id);
    if (!entry) {
      const item = el(doc, 'li', { padding: '2px 0' });
      item.dataset.step = id;
      this.list.append(item);
      entry = { step: { id, label: id, state: 'waiting', progress: null, message: null }, item };
      this.steps.set(id, entry);
    }
    const step: StatusStep = { ...entry.step, ...change };
    entry.step = step;
    entry.item.dataset.state = step.state;
    const pct = step.state === 'loading' && step.progress !== null ? ` ${Math.round(step.progress * 100)}%` : '';
    entry.item.textContent = `${GLYPH[step.state]} ${step.label}${pct}${step.message ? ` — ${step.message}` : ''}`;
    entry.item.style.color = step.state === 'failed' ? '#ff9b8a' : step.state === 'waiting' ? '#777' : '#ddd';
    const overall = Math.round(this.overall() * 100);
    this.bar.style.width = `${overall}%`;
    this.bar.setAttribute('aria-valuenow', String(overall));
  }
}
