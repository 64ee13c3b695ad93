import { afterEach, describe, expect, it, vi } from 'vitest';
import { GeneratorSlot } from '../../../src/app/generator-slot.ts';

/** A stand-in generator that counts how many are alive (built and not disposed) at once. */
class Fake {
  static alive = 0;
  static maxAlive = 0;
  disposed = false;
  constructor(readonly id: number) {
    Fake.alive++;
    Fake.maxAlive = Math.max(Fake.maxAlive, Fake.alive);
  }
  dispose(): void {
    if (this.disposed) throw new Error(`fake ${this.id} disposed twice`);
    this.disposed = true;
    Fake.alive--;
  }
}

/** Builds that the test resolves or rejects by hand, in any order. */
function controlledBuilds() {
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let made = 0;
  const build = (): Promise<Fake> =>
    new Promise<Fake>((resolve, reject) => {
      pending.push({ resolve: () => resolve(new Fake(++made)), reject });
    });
  return { build, pending, made: () => made };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

afterEach(() => {
  Fake.alive = 0;
  Fake.maxAlive = 0;
  vi.useRealTimers();
});

describe('GeneratorSlot', () => {
  it('runs one build at a time: a rebuild asked for mid-build disposes the stale arrival and builds again', async () => {
    const b = controlledBuilds();
    const ready: number[] = [];
    const slot = new GeneratorSlot(b.build, { onReady: (f) => ready.push(f.id), onFailure: () => {}, retrySeconds: 10 });
    const first = slot.rebuild();
    void slot.rebuild();
    void slot.rebuild();
    expect(b.pending.length).toBe(1);
    b.pending[0]?.resolve();
    await flush();
    expect(b.pending.length).toBe(2);
    b.pending[1]?.resolve();
    await first;
    expect(ready).toEqual([2]);
    expect(slot.current?.id).toBe(2);
    expect(Fake.alive).toBe(1);
    expect(Fake.maxAlive).toBe(1);
  });

  it('disposes the old generator before building the next, so two never hold the GPU together', async () => {
    const b = controlledBuilds();
    const slot = new GeneratorSlot(b.build, { onReady: () => {}, onFailure: () => {}, retrySeconds: 10 });
    const p1 = slot.rebuild();
    b.pending[0]?.resolve();
    await p1;
    const old = slot.current;
    const p2 = slot.rebuild();
    expect(old?.disposed).toBe(true);
    expect(slot.current).toBeNull();
    b.pending[1]?.resolve();
    await p2;
    expect(Fake.maxAlive).toBe(1);
  });

  it('after invalidate() (context lost) or dispose() mid-build, the arrival is disposed and nothing more is built', async () => {
    for (const end of ['invalidate', 'dispose'] as const) {
      const b = controlledBuilds();
      const ready = vi.fn();
      const slot = new GeneratorSlot(b.build, { onReady: ready, onFailure: () => {}, retrySeconds: 10 });
      const p = slot.rebuild();
      slot[end]();
      b.pending[0]?.resolve();
      await p;
      expect(ready).not.toHaveBeenCalled();
      expect(slot.current).toBeNull();
      expect(Fake.alive).toBe(0);
      expect(b.made()).toBe(1);
      // After invalidate() a rebuild (context restored) builds again; after dispose() nothing ever does.
      void slot.rebuild();
      await flush();
      expect(b.pending.length).toBe(end === 'invalidate' ? 2 : 1);
    }
  });

  it('retries a failed build on its own timer, and a rebuild or dispose cancels the retry', async () => {
    vi.useFakeTimers();
    const b = controlledBuilds();
    const failures: string[] = [];
    const slot = new GeneratorSlot(b.build, { onReady: () => {}, onFailure: (e, s) => failures.push(`${(e as Error).message} ${s}`), retrySeconds: 10 });
    const p = slot.rebuild();
    b.pending[0]?.reject(new Error('no model'));
    await p;
    expect(failures).toEqual(['no model 10']);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(b.pending.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(b.pending.length).toBe(2);
    b.pending[1]?.reject(new Error('still none'));
    await vi.advanceTimersByTimeAsync(0);
    slot.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(b.pending.length).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a stale build that fails is not reported and schedules no retry', async () => {
    vi.useFakeTimers();
    const b = controlledBuilds();
    const onFailure = vi.fn();
    const slot = new GeneratorSlot(b.build, { onReady: () => {}, onFailure, retrySeconds: 10 });
    const p = slot.rebuild();
    slot.invalidate();
    b.pending[0]?.reject(new Error('context lost while loading'));
    await p;
    expect(onFailure).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports a dispose that throws instead of rethrowing it', async () => {
    const errors: unknown[] = [];
    const slot = new GeneratorSlot(async () => ({ dispose: () => { throw new Error('context is lost'); } }), {
      onReady: () => {},
      onFailure: () => {},
      onDisposeError: (e) => errors.push(e),
      retrySeconds: 10,
    });
    await slot.rebuild();
    expect(() => slot.invalidate()).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});
