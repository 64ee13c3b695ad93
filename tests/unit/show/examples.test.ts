import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkShow } from '../../../tools/check-show.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import type { ParamSpec } from '../../../src/core/params/types.ts';
import { applyInitial } from '../../../src/core/show/attract.ts';
import { CueEngine } from '../../../src/core/show/cue-engine.ts';
import { formatIssue } from '../../../src/core/show/issues.ts';
import { loadShow, loadShowOrThrow } from '../../../src/core/show/load.ts';
import { validateShow } from '../../../src/core/show/validate.ts';

const CONFIGS = join(import.meta.dirname, '../../../show-configs');

function load(name: string) {
  return loadShowOrThrow(readFileSync(join(CONFIGS, `${name}.json`), 'utf8'), { name });
}

describe('example shows', () => {
  const files = readdirSync(CONFIGS).filter((f) => f.endsWith('.json'));

  it('ship the three shows the architecture names and their reference, nothing else', () => {
    expect(readdirSync(CONFIGS).sort()).toEqual(['README.md', 'demo.json', 'gallery-kiosk.json', 'live-performance.json']);
  });

  for (const file of files) {
    it(`${file} validates with no issue`, () => {
      const result = loadShow(readFileSync(join(CONFIGS, file), 'utf8'));
      expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
    });
  }

  it('demo needs no camera and cycles its cues by itself, the last following back to the first', () => {
    const show = load('demo');
    expect(show.pose.enabled).toBe(false);
    expect(show.startCue).toBe(1);
    expect(show.credits).toEqual({ everyMinutes: 3, seconds: 15 });
    const bus = new ParameterBus(PARAMS);
    const clock = new ManualClock();
    applyInitial(show, bus);
    const engine = new CueEngine(show, bus, clock);
    engine.goto(show.startCue ?? 1);
    const seen: number[] = [];
    for (let t = 0; t < 305; t++) {
      clock.advance(1);
      engine.tick();
      if (seen[seen.length - 1] !== engine.current) seen.push(engine.current);
    }
    // Indices: follows of 90, 90, 60, 60 s, so the fourth cue fires at 240 s and wraps to the first at 300 s,
    // whose 4 s fade hands paint/amount (named only by later cues) back to the layers beneath.
    expect(seen).toEqual([0, 1, 2, 3, 0]);
    expect(bus.get('walk/mode')).toBe('tour');
    expect(bus.layer('paint/amount', 'cue')).toBeUndefined();
  });

  it('gallery-kiosk is camera-steered from several features, with attract mode, credits and a nightly restart', () => {
    const show = load('gallery-kiosk');
    expect(show.pose.enabled).toBe(true);
    expect(new Set(show.pose.mappings.map((m) => m.feature)).size).toBeGreaterThanOrEqual(4);
    expect(Object.keys(show.idle.values).length).toBeGreaterThan(0);
    expect(show.credits?.everyMinutes).toBe(5);
    expect(show.kiosk.dailyRestart).toBe('03:00');
    expect(show.privacy.allowFrameCapture).toBe(false);
  });

  it('live-performance listens to a desk on the LAN, starts dark with the HUD on and has a blackout cue', () => {
    const show = load('live-performance');
    expect(show.osc.bind).toEqual(['0.0.0.0']);
    expect(show.osc.feedback).not.toBeNull();
    expect(show.initial['hud/visible']).toBe(true);
    expect(show.cues.length).toBeGreaterThanOrEqual(5);
    expect(show.cues.some((c) => c.targets.some((t) => t.param === 'master/level' && t.value === 0) && c.fade > 0)).toBe(true);
    // A MIDI controller beside the desk: faders on the bus, transport buttons on the cues.
    expect(show.midi.enabled).toBe(true);
    expect(show.midi.mappings.filter((m) => m.cue !== null).map((m) => m.cue)).toEqual(['go', 'back', 6]);
  });
});

describe('validateShow', () => {
  it('fills every default for an empty show, and freezes the result', () => {
    const result = validateShow({}, { name: 'empty' });
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const show = result.show;
    expect(show.name).toBe('empty');
    expect(show.model).toBe('default');
    expect(show.backend).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(show.osc).toEqual({ port: 9000, bind: ['127.0.0.1'], allow: [], allowOrigins: [], feedback: null });
    expect(show.privacy.allowFrameCapture).toBe(false);
    expect(show.pose.enabled).toBe(false);
    expect(show.cues).toEqual([]);
    expect(Object.isFrozen(show.pose.camera)).toBe(true);
  });

  it('allows "$comment" in any object', () => {
    const result = validateShow({ $comment: 'top', pose: { $comment: 'pose', camera: { $comment: 'cam' } }, params: { $comment: 'p' } });
    expect(result.ok).toBe(true);
  });

  it('checks parameter names against the catalogue it is given, not a list of its own', () => {
    const specs: ParamSpec[] = [
      ...PARAMS,
      { name: 'fog/density', type: 'float', min: 0, max: 1, default: 0, access: 'rw', description: 'a parameter added later' },
    ];
    const raw = { params: { 'fog/density': 0.5 }, cues: [{ targets: { 'fog/density': 1 } }] };
    expect(validateShow(raw).ok).toBe(false);
    const result = validateShow(raw, { specs });
    expect(result.ok && result.show.initial['fog/density']).toBe(0.5);
  });

  it('gives cue numbers from 1 and per-target fades falling back to the cue fade', () => {
    const result = validateShow({ cues: [{ fade: 3, targets: { 'walk/speed': 2, 'grade/contrast': { value: 1.5, fade: 9 } } }, {}] });
    if (!result.ok) throw new Error('invalid');
    expect(result.show.cues.map((c) => c.number)).toEqual([1, 2]);
    expect(result.show.cues[0]?.targets).toEqual([
      { param: 'walk/speed', value: 2, fade: 3 },
      { param: 'grade/contrast', value: 1.5, fade: 9 },
    ]);
  });
});

describe('check-show CLI', () => {
  it('prints OK and a summary for a valid show, by name', () => {
    const { code, lines } = checkShow(['--', 'gallery-kiosk']);
    expect(code).toBe(0);
    expect(lines[0]).toMatch(/^OK .*gallery-kiosk\.json: "gallery-kiosk"$/);
    expect(lines.join('\n')).toContain('daily restart at 03:00');
  });

  it('prints every problem and exits 1 for a broken show, by path', () => {
    const { code, lines } = checkShow([join(import.meta.dirname, 'broken/typos.json')]);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/typos\.json: 6 problems$/);
    expect(lines[1]).toBe('  cue: unknown key; did you mean "cues"?');
  });

  it('exits 1 when the file does not exist', () => {
    expect(checkShow(['no-such-show']).code).toBe(1);
  });
});
