import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { OscRouter } from '../../../src/core/osc/router.ts';
import { totalDropped } from '../../../src/core/osc/stats.ts';
import type { DeskCommand, DropLogEntry, OscMessage } from '../../../src/core/osc/types.ts';
import { decode, typed } from './oscjs.ts';

function msg(address: string, types = '', ...args: unknown[]): OscMessage {
  return { address, types: `,${types}`, args };
}

function setup(): { bus: ParameterBus; router: OscRouter; commands: DeskCommand[]; logs: DropLogEntry[] } {
  const bus = new ParameterBus(PARAMS);
  const commands: DeskCommand[] = [];
  const logs: DropLogEntry[] = [];
  const router = new OscRouter({ bus, onCommand: (c) => commands.push(c), log: (e) => logs.push(e) });
  return { bus, router, commands, logs };
}

describe('OscRouter: parameters', () => {
  it('sets a parameter in its own unit with source desk, at the next frame', () => {
    const { bus, router } = setup();
    router.receive(msg('/sitter/walk/speed', 'f', 2.5), 0);
    expect(bus.target('walk/speed')).toBe(1);
    router.flush(0);
    expect(bus.target('walk/speed')).toBe(2.5);
    expect(bus.owner('walk/speed')).toBe('desk');
    expect(router.stats.applied).toBe(1);
  });

  it('takes a 0..1 fader at /sitter/norm/<param>', () => {
    const { bus, router } = setup();
    router.receive(msg('/sitter/norm/walk/speed', 'f', 0.25), 0);
    router.receive(msg('/sitter/norm/walk/mode', 'f', 0.99), 0);
    router.receive(msg('/sitter/norm/hud/visible', 'f', 1), 0);
    router.flush(0);
    expect(bus.target('walk/speed')).toBe(1);
    expect(bus.target('walk/mode')).toBe('towards');
    expect(bus.target('hud/visible')).toBe(true);
  });

  it('coerces every numeric tag a desk may send', () => {
    const { bus, router } = setup();
    router.receive(msg('/sitter/walk/loop-keyframes', 'i', 7), 0);
    router.receive(msg('/sitter/walk/truncation', 'd', 0.5), 0);
    router.receive(msg('/sitter/walk/seed', 'h', 123n), 0);
    router.receive(msg('/sitter/walk/target', 't', 77n), 0);
    router.receive(msg('/sitter/grain/amount', 's', '0.25'), 0);
    router.receive(msg('/sitter/layout/grid', 'f', 2.6), 0);
    router.flush(0);
    expect(bus.target('walk/loop-keyframes')).toBe(7);
    expect(bus.target('walk/truncation')).toBe(0.5);
    expect(bus.target('walk/seed')).toBe(123);
    expect(bus.target('walk/target')).toBe(77);
    expect(bus.target('grain/amount')).toBe(0.25);
    expect(bus.target('layout/grid')).toBe(3);
  });

  it('reads bools from T/F, numbers and words, enums from names and indices', () => {
    const { bus, router } = setup();
    router.receive(msg('/sitter/hud/visible', 'T', true), 0);
    router.receive(msg('/sitter/hud/skeleton', 's', 'on'), 0);
    router.receive(msg('/sitter/credits/visible', 'i', 1), 0);
    router.receive(msg('/sitter/morph/mode', 's', 'flow'), 0);
    router.receive(msg('/sitter/walk/mode', 'f', 3), 0);
    router.flush(0);
    expect(bus.target('hud/visible')).toBe(true);
    expect(bus.target('hud/skeleton')).toBe(true);
    expect(bus.target('credits/visible')).toBe(true);
    expect(bus.target('morph/mode')).toBe('flow');
    expect(bus.target('walk/mode')).toBe('random');
    router.receive(msg('/sitter/hud/visible', 'F', false), 1);
    router.flush(1);
    expect(bus.target('hud/visible')).toBe(false);
  });

  it('clamps out-of-range values and counts them', () => {
    const { bus, router } = setup();
    router.receive(msg('/sitter/walk/speed', 'f', 99), 0);
    router.receive(msg('/sitter/norm/grade/exposure', 'f', -2), 0);
    router.flush(0);
    expect(bus.target('walk/speed')).toBe(4);
    expect(bus.target('grade/exposure')).toBe(-3);
    expect(router.stats.clamped).toBe(2);
    expect(totalDropped(router.stats)).toBe(0);
  });

  it('drops and counts every bad input by reason, and the bus never moves', () => {
    const { bus, router, logs } = setup();
    const before = bus.snapshot();
    const cases: [OscMessage, string][] = [
      [msg('/sitter/walk/speed', 'f', Number.NaN), 'not-finite'],
      [msg('/sitter/walk/speed', 'd', Number.POSITIVE_INFINITY), 'not-finite'],
      [msg('/sitter/walk/speed', 'f', Number.NEGATIVE_INFINITY), 'not-finite'],
      [msg('/sitter/walk/speed', 'I', Number.POSITIVE_INFINITY), 'not-finite'],
      [msg('/sitter/walk/seed', 'h', 2n ** 60n), 'not-finite'],
      [msg('/sitter/walk/speed', 's', 'fast'), 'wrong-type'],
      [msg('/sitter/walk/speed', 'b', new Uint8Array(4)), 'wrong-type'],
      [msg('/sitter/walk/speed', 'N', null), 'wrong-type'],
      [msg('/sitter/walk/mode', 's', 'sideways'), 'wrong-type'],
      [msg('/sitter/walk/mode', 'i', 17), 'out-of-range'],
      [msg('/sitter/hud/visible', 's', 'maybe'), 'wrong-type'],
      [msg('/sitter/walk/speed'), 'missing-arg'],
      [msg('/sitter/status/fps', 'f', 60), 'read-only'],
      [msg('/sitter/norm/status/fps', 'f', 0.5), 'unknown-address'],
      [msg('/sitter/walk/sped', 'f', 1), 'unknown-address'],
      [msg('/elsewhere', 'f', 1), 'unknown-address'],
      [msg('/sitter/walk/[speed', 'f', 1), 'bad-pattern'],
      [msg('/sitter/zz*', 'f', 1), 'unknown-address'],
    ];
    for (const [m, reason] of cases) {
      const was = router.stats.dropped[reason as keyof typeof router.stats.dropped];
      router.receive(m, 0);
      expect(router.stats.dropped[reason as keyof typeof router.stats.dropped], `${m.address} ${m.types}`).toBe(was + 1);
    }
    router.flush(0);
    expect(bus.snapshot()).toEqual(before);
    expect(totalDropped(router.stats)).toBe(cases.length);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs[0]).toMatchObject({ reason: 'not-finite', address: '/sitter/walk/speed' });
  });

  it('rate-limits its log lines but counts every drop', () => {
    const { router, logs } = setup();
    // One message per millisecond for 1.5 s: two one-second windows of at most 5 lines each.
    for (let i = 0; i < 1500; i++) router.receive(msg('/nowhere', 'f', i), i);
    expect(router.stats.dropped['unknown-address']).toBe(1500);
    expect(logs).toHaveLength(10);
    expect(logs[5]?.suppressed).toBe(995);
  });

  it('dispatches a pattern to every matching parameter, never to a command', () => {
    const { bus, router, commands } = setup();
    router.receive(msg('/sitter/grade/{contrast,saturation}', 'f', 1.5), 0);
    router.receive(msg('/sitter/steer/[0-2]', 'f', -1), 0);
    router.receive(msg('/sitter/*', 'i', 1), 0);
    router.receive(msg('/sitter/cue/*', 'i', 1), 0);
    router.flush(0);
    expect(bus.target('grade/contrast')).toBe(1.5);
    expect(bus.target('grade/saturation')).toBe(1.5);
    expect([0, 1, 2, 3].map((i) => bus.target(`steer/${i}`))).toEqual([-1, -1, -1, 0]);
    expect(commands).toEqual([]);
  });

  it('coalesces a flood on one address to the latest value per frame', () => {
    const { bus, router } = setup();
    const changes: unknown[] = [];
    bus.subscribe((c) => changes.push(c.target));
    for (let i = 0; i <= 10_000; i++) router.receive(msg('/sitter/walk/speed', 'f', (i % 400) / 100), 0);
    expect(router.backlog.pending).toBe(1);
    router.flush(0);
    expect(changes).toEqual([0]);
    expect(router.stats.coalesced).toBe(10_000);
    expect(router.stats.applied).toBe(1);
  });

  it('bounds distinct targets per frame and counts the rest as rate-limit', () => {
    const bus = new ParameterBus(PARAMS);
    const router = new OscRouter({ bus, maxPending: 3 });
    for (const n of ['walk/speed', 'walk/jitter', 'grade/tint', 'grade/contrast']) router.receive(msg(`/sitter/${n}`, 'f', 0.5), 0);
    expect(router.stats.dropped['rate-limit']).toBe(1);
    router.flush(0);
    expect(bus.target('grade/contrast')).toBe(1);
  });
});

describe('OscRouter: commands', () => {
  it('turns addresses into typed commands in arrival order', () => {
    const { bus, router, commands } = setup();
    bus.set('master/fade-seconds', 4, 'show');
    router.receive(msg('/sitter/cue/go'), 0);
    router.receive(msg('/sitter/cue/back', 'f', 1), 0);
    router.receive(msg('/sitter/cue/12', 'T', true), 0);
    router.receive(msg('/sitter/portrait/goto', 'i', 4242), 0);
    router.receive(msg('/sitter/hud', 'i', 1), 0);
    router.receive(msg('/sitter/blackout', 'f', 1), 0);
    router.receive(msg('/sitter/panic'), 0);
    router.flush(0);
    expect(commands).toEqual([
      { kind: 'cue-go' },
      { kind: 'cue-back' },
      { kind: 'cue-goto', index: 12 },
      { kind: 'portrait-goto', portrait: 4242 },
      { kind: 'hud', visible: true },
      { kind: 'blackout', on: true, fadeSeconds: 4 },
      { kind: 'panic' },
    ]);
  });

  it('ignores the release (0) a TouchOSC button sends after its press', () => {
    const { router, commands } = setup();
    router.receive(msg('/sitter/cue/go', 'f', 1), 0);
    router.flush(0);
    router.receive(msg('/sitter/cue/go', 'f', 0), 1);
    router.flush(1);
    expect(commands).toEqual([{ kind: 'cue-go' }]);
    expect(router.stats.released).toBe(1);
  });

  it('sets walk/seed on the bus and asks the app to restart the walk', () => {
    const { bus, router, commands } = setup();
    router.receive(msg('/sitter/walk/seed', 'i', 99), 0);
    router.flush(0);
    expect(bus.target('walk/seed')).toBe(99);
    expect(commands).toEqual([{ kind: 'walk-seed', seed: 99 }]);
  });

  it('refuses command arguments it cannot use', () => {
    const { router, commands } = setup();
    router.receive(msg('/sitter/portrait/goto', 'i', -1), 0);
    router.receive(msg('/sitter/portrait/goto', 's', 'x'), 0);
    router.receive(msg('/sitter/hud'), 0);
    router.receive(msg('/sitter/blackout', 'f', Number.NaN), 0);
    router.receive(msg('/sitter/cue/go', 'I', Infinity), 0);
    router.flush(0);
    expect(commands).toEqual([]);
    expect(router.stats.dropped).toMatchObject({ 'out-of-range': 1, 'wrong-type': 1, 'missing-arg': 1, 'not-finite': 2 });
  });
});

describe('OscRouter: packets and timetags', () => {
  it('reads osc-js packets, bundles included, and holds a future timetag until it is due', async () => {
    const OSC = (await import('osc-js')).default;
    const { bus, router } = setup();
    const now = Date.now();
    const speed = new OSC.Message('/sitter/walk/speed', 3);
    const bundle = new OSC.Bundle([speed], now + 500);
    router.receivePacket(decode(bundle.pack()), now);
    router.receivePacket(decode(typed('/sitter/grain/amount', ['f', 0.5])), now);
    router.flush(now);
    expect(bus.target('grain/amount')).toBe(0.5);
    expect(bus.target('walk/speed')).toBe(1);
    expect(router.backlog.scheduled).toBe(1);
    router.flush(now + 499);
    expect(bus.target('walk/speed')).toBe(1);
    router.flush(now + 501);
    expect(bus.target('walk/speed')).toBe(3);
    expect(router.stats.scheduled).toBe(1);
  });

  it('counts a packet that is neither message nor bundle as malformed', () => {
    const { router } = setup();
    router.receivePacket({ hello: 1 }, 0);
    expect(router.stats.dropped.malformed).toBe(1);
  });
});
