import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS, type ParamName } from '../../../src/core/params/catalogue.ts';
import { LeaderSync, PageScreenWalk, ScreenFeed, encode } from '../../../src/core/screens/index.ts';
import { role } from '../../support/screens/sim.ts';

const SIZE = 16;

describe('PageScreenWalk (the page on a screen of several)', () => {
  it('walks alone until the kiosk relays the walk, then shows the leader\'s lane on the leader\'s clock', () => {
    let sys = 1000;
    const leaderSkew = 0.75; // the leader's clock runs 0.75 s ahead of this machine's
    const leader = new LeaderSync({ screen: 'main', size: SIZE, epoch: sys + leaderSkew });
    const bus = new ParameterBus<ParamName>(PARAMS);
    const walk = new PageScreenWalk({ role: role('right'), size: SIZE, now: () => sys });
    walk.tick(1 / 60, bus);
    expect(walk.isFollowing()).toBe(false);
    expect(walk.latent().some((x) => x !== 0)).toBe(true);
    sys += 2;
    leader.change('desk', 'walk/seed', 4, sys + leaderSkew);
    const feed = new ScreenFeed();
    feed.push(encode({ type: 'screen-state', protocol: 3, leader: 'main', epoch: 0, tickRate: 60, time: 0, tick: 0, full: true, checkpoint: null, changes: [], cue: null }));
    feed.push(encode(leader.full(sys + leaderSkew))); // a newer full state: the older one is dropped
    feed.push(encode({ type: 'screen-pong', id: 0, sent: sys, leader: sys + leaderSkew }));
    feed.push('not a screens message');
    feed.connect((t) => walk.receive(t));
    for (let i = 0; i < 120; i++) {
      sys += 1 / 60;
      walk.tick(1 / 60, bus);
      leader.advance(sys + leaderSkew);
    }
    expect(walk.isFollowing()).toBe(true);
    const k = Math.min(walk.tickNow() ?? -1, leader.lane.tick);
    expect(Math.abs((walk.tickNow() ?? 0) - leader.lane.tick)).toBeLessThanOrEqual(1);
    expect(Array.from(walk.laneLatentAt(k) ?? [])).toEqual(Array.from(leader.lane.latentAt(k) ?? [1]));
    expect(leader.lane.changes()).toHaveLength(1);
  });

  it('a clock sample the feed held while the model loaded still sets the clock exactly (no round trip to halve)', () => {
    let sys = 500;
    const leaderSkew = -1.3;
    const leader = new LeaderSync({ screen: 'main', size: SIZE, epoch: sys + leaderSkew - 20 });
    const feed = new ScreenFeed();
    feed.push(encode(leader.full(sys + leaderSkew)));
    feed.push(encode({ type: 'screen-pong', id: 0, sent: sys, leader: sys + leaderSkew }));
    sys += 12; // the model loads for 12 s; the kiosk's next samples would come later still
    const walk = new PageScreenWalk({ role: role('b'), size: SIZE, now: () => sys });
    feed.connect((t) => walk.receive(t));
    const bus = new ParameterBus<ParamName>(PARAMS);
    for (let i = 0; i < 10; i++) {
      sys += 1 / 60;
      walk.tick(1 / 60, bus);
      leader.advance(sys + leaderSkew);
    }
    // Counted as received 12 s late, the sample would put the page 6 s (360 ticks) behind.
    expect(Math.abs((walk.tickNow() ?? 0) - leader.lane.tick)).toBeLessThanOrEqual(1);
  });

  it('a page that walked alone glides to the leader\'s walk when it arrives: no frame jumps the whole gap', () => {
    let sys = 50;
    const leader = new LeaderSync({ screen: 'main', size: SIZE, epoch: sys - 30 }); // a show 30 s along
    leader.change('desk', 'walk/seed', 9, sys);
    const bus = new ParameterBus<ParamName>(PARAMS);
    const walk = new PageScreenWalk({ role: role('b'), size: SIZE, now: () => sys });
    let prev = Float32Array.from(walk.tick(1 / 60, bus));
    const steps: number[] = [];
    const step = (): number => {
      sys += 1 / 60;
      leader.advance(sys);
      const z = walk.tick(1 / 60, bus);
      let d = 0;
      for (let i = 0; i < SIZE; i++) d += ((z[i] as number) - (prev[i] as number)) ** 2;
      prev = Float32Array.from(z);
      return Math.sqrt(d);
    };
    for (let i = 0; i < 30; i++) steps.push(step());
    const alone = Math.max(...steps);
    const before = Float32Array.from(prev);
    walk.receive(encode(leader.full(sys)));
    walk.receive(encode({ type: 'screen-pong', id: 0, sent: sys, leader: sys }));
    for (let i = 0; i < 60; i++) leader.advance(sys + i / 60);
    const glide: number[] = [];
    for (let i = 0; i < 90; i++) glide.push(step());
    let gap = 0;
    const target = leader.lane.latent();
    for (let i = 0; i < SIZE; i++) gap += ((target[i] as number) - (before[i] as number)) ** 2;
    gap = Math.sqrt(gap);
    expect(walk.isFollowing()).toBe(true);
    expect(gap).toBeGreaterThan(alone * 20);
    expect(Math.max(...glide)).toBeLessThan(gap / 10);
    expect(Array.from(walk.latent())).toEqual(Array.from(walk.laneLatentAt(walk.tickNow() ?? -1) ?? []));
  });
});
