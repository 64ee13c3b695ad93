/** What the renderer tells the app. After 'contextrestored' the app rebuilds the generator on getContext(). */
export interface RendererEvents {
  /** The WebGL context is gone: drawing pauses; GPU-texture frames were released (they died with it). */
  contextlost: void;
  /** A new context is up and every renderer resource will be rebuilt on the next draw. */
  contextrestored: void;
}

export type RendererEvent = keyof RendererEvents;

/** A minimal typed emitter; on() returns the unsubscribe function. */
export class Emitter<E extends object> {
  private readonly listeners = new Map<keyof E, Set<(payload: unknown) => void>>();

  on<K extends keyof E>(event: K, listener: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) l(payload);
  }

  clear(): void {
    this.listeners.clear();
  }
}
