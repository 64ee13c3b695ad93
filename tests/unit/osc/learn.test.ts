import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { LearnTable, guessFullScale, parseLearnTable, type LearnTableData } from '../../../src/core/osc/learn.ts';
import { OscRouter } from '../../../src/core/osc/router.ts';
import type { DeskCommand, OscMessage } from '../../../src/core/osc/types.ts';

const m = (address: string, types: string, ...args: unknown[]): OscMessage => ({ address, types, args });

function setup(): { bus: ParameterBus; learn: LearnTable; router: OscRouter; commands: DeskCommand[] } {
  const bus = new ParameterBus(PARAMS);
  const learn = new LearnTable(PARAMS);
  const commands: DeskCommand[] = [];
  const router = new OscRouter({ bus, learn, onCommand: (c) => commands.push(c) });
  return { bus, learn, router, commands };
}

describe('learn mode', () => {
  it('binds a lighting desk fader (0..255) to a parameter and scales it', () => {
    const { bus, learn, router, commands } = setup();
    router.receive(m('/sitter/learn', 's', 'walk/speed'), 0);
    expect(learn.armed).toBe('walk/speed');
    router.receive(m('/fader/3', 'i', 200), 0);
    router.flush(0);
    expect(learn.armed).toBeNull();
    expect(learn.get('/fader/3')).toMatchObject({ param: 'walk/speed', inMin: 0, inMax: 255 });
    expect(bus.target('walk/speed')).toBeCloseTo((200 / 255) * 4, 9);
    router.receive(m('/fader/3', 'i', 0), 1);
    router.flush(1);
    expect(bus.target('walk/speed')).toBe(0);
    expect(commands).toEqual([{ kind: 'learn-armed', param: 'walk/speed' }, { kind: 'learn-bound', param: 'walk/speed', address: '/fader/3' }]);
    expect(router.stats.learned).toBe(2);
  });

  it('guesses common full scales and widens an auto range when a bigger value arrives', () => {
    expect([0.5, 1, 100, 127, 200, 1000, 60000].map(guessFullScale)).toEqual([1, 1, 127, 127, 255, 1023, 65535]);
    const { bus, learn, router } = setup();
    learn.arm('grain/amount');
    router.receive(m('/cc/7', 'f', 0.2), 0);
    router.receive(m('/cc/7', 'f', 127), 0);
    router.flush(0);
    expect(learn.get('/cc/7')?.inMax).toBe(127);
    expect(bus.target('grain/amount')).toBe(1);
  });

  it('never learns a /sitter address and refuses read-only or vector targets', () => {
    const { learn, router } = setup();
    expect(learn.arm('status/fps').ok).toBe(false);
    expect(learn.arm('nope').ok).toBe(false);
    router.receive(m('/sitter/learn', 's', 'status/fps'), 0);
    expect(router.stats.dropped['out-of-range']).toBe(1);
    learn.arm('walk/jitter');
    router.receive(m('/sitter/nothing', 'f', 0.5), 0);
    expect(learn.armed).toBe('walk/jitter');
    expect(router.stats.dropped['unknown-address']).toBe(1);
  });

  it('cancels learn mode from the desk', () => {
    const { learn, router } = setup();
    learn.arm('walk/jitter');
    router.receive(m('/sitter/learn/cancel', ''), 0);
    expect(learn.armed).toBeNull();
  });

  it('round-trips the table through JSON and reports every change for persistence', () => {
    const { learn, router } = setup();
    const saved: LearnTableData[] = [];
    learn.onChange((d) => saved.push(d));
    learn.arm('walk/speed');
    router.receive(m('/fader/1', 'f', 0.5), 0);
    expect(learn.set({ address: '/dmx/12', param: 'master/level', inMin: 255, inMax: 0, argIndex: 1, autoRange: false }).ok).toBe(true);
    const json = JSON.stringify(learn.toData());
    const restored = new LearnTable(PARAMS);
    expect(restored.load(JSON.parse(json))).toEqual({ ok: true });
    expect(restored.toData()).toEqual(learn.toData());
    expect(saved).toHaveLength(2);

    // The inverted DMX mapping reads its second argument: 255 is 0, 0 is full.
    const bus = new ParameterBus(PARAMS);
    const r = new OscRouter({ bus, learn: restored });
    r.receive(m('/dmx/12', 'ii', 12, 255), 0);
    r.flush(0);
    expect(bus.target('master/level')).toBe(0);
  });

  it('says where a saved table is wrong', () => {
    expect(parseLearnTable({ version: 2, mappings: [] }, PARAMS)).toMatchObject({ ok: false, error: expect.stringContaining('version') });
    expect(parseLearnTable({ version: 1, mappings: [{ address: '/a', param: 'walk/speed', inMin: 0, inMax: 0 }] }, PARAMS)).toMatchObject({
      ok: false,
      error: expect.stringContaining('mappings[0]'),
    });
    expect(parseLearnTable({ version: 1, mappings: [{ address: '/a/*', param: 'walk/speed', inMin: 0, inMax: 1 }] }, PARAMS)).toMatchObject({
      ok: false,
      error: expect.stringContaining('mappings[0].address'),
    });
    expect(parseLearnTable({ version: 1, mappings: [{ address: '/a', param: 'gone', inMin: 0, inMax: 1 }] }, PARAMS)).toMatchObject({
      ok: false,
      error: expect.stringContaining('mappings[0].param'),
    });
    expect(parseLearnTable({ version: 1, mappings: [{ address: '/a', param: 'walk/speed', inMin: 0, inMax: Number.NaN }] }, PARAMS).ok).toBe(false);
  });
});
