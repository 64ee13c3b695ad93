import { afterEach, describe, expect, it } from 'vitest';
import { PARAMS } from '../../src/core/params/catalogue.ts';
import { CreditsOverlay } from '../../src/render/credits.ts';
import { Hud, HUD_REFRESH_S, bridgeRows } from '../../src/render/hud.ts';
import type { BridgeCounters } from '../../src/core/osc/ws-protocol.ts';
import { StatusScreen } from '../../src/render/status-screen.ts';
import { neutralBus } from './render-support.ts';

let root: HTMLDivElement;
afterEach(() => root?.remove());
const mount = (): HTMLDivElement => {
  root = document.createElement('div');
  document.body.append(root);
  return root;
};

describe('HUD', () => {
  it('has one row per catalogue parameter marked hud, and no other', () => {
    const hud = new Hud(mount(), neutralBus());
    const shown = [...hud.element.querySelectorAll<HTMLElement>('[data-param]')].map((e) => e.dataset.param);
    expect(shown).toEqual(PARAMS.filter((p) => p.hud).map((p) => p.name));
    expect(shown).toContain('status/tensors');
    hud.dispose();
    expect(root.children.length).toBe(0);
  });

  it('follows hud/visible and shows current values with units, refreshed at its own pace', () => {
    const bus = neutralBus();
    const hud = new Hud(mount(), bus);
    hud.update(0);
    expect(hud.element.style.display).toBe('none');
    bus.set('hud/visible', true, 'desk');
    bus.report('status/fps', 59.94);
    bus.report('status/backend', 'webgl');
    bus.report('status/presence', true);
    hud.update(1);
    expect(hud.element.style.display).toBe('grid');
    const value = (name: string) => hud.element.querySelector<HTMLElement>(`[data-param="${name}"]`)?.textContent;
    expect(value('status/fps')).toBe('59.9 fps');
    expect(value('status/backend')).toBe('webgl');
    expect(value('status/presence')).toBe('yes');
    bus.report('status/fps', 30);
    hud.update(1 + HUD_REFRESH_S / 2);
    expect(value('status/fps')).toBe('59.9 fps');
    hud.update(1 + HUD_REFRESH_S);
    expect(value('status/fps')).toBe('30.0 fps');
  });

  it('shows the desk bridge\'s counters: rates, drops by reason, the kernel\'s receive-buffer drops', () => {
    const bus = neutralBus();
    let counters: BridgeCounters | null = null;
    const hud = new Hud(mount(), bus, () => bridgeRows(counters));
    bus.set('hud/visible', true, 'desk');
    const row = (label: string) => hud.element.querySelector<HTMLElement>(`[data-row="${label}"]`)?.textContent;
    hud.update(0);
    expect(row('osc/in')).toBe('–');
    counters = {
      received: 20_000, receivedPerSecond: 693.8, forwarded: 230, forwardedPerSecond: 23, dropped: { 'not-allowed': 2, malformed: 1 },
      kernelDrops: 13_062, kernelDropsSource: 'socket',
    };
    hud.update(1);
    expect(row('osc/in')).toBe('693.8/s (20,000)');
    expect(row('osc/to-page')).toBe('23.0/s (230)');
    expect(row('osc/dropped')).toBe('3: not-allowed 2, malformed 1');
    expect(row('osc/kernel-drops')).toBe('13,062');
    counters = { ...counters, kernelDropsSource: 'system', dropped: {} };
    hud.update(2);
    expect(row('osc/kernel-drops')).toBe('13,062 (all UDP on this machine)');
    expect(row('osc/dropped')).toBe('0');
    hud.dispose();
  });
});

describe('credits overlay', () => {
  it('shows the model card credits and licence while credits/visible is true', () => {
    const bus = neutralBus();
    const credits = new CreditsOverlay(mount(), bus);
    bus.set('credits/visible', true, 'cue');
    credits.update();
    expect(credits.isShown(), 'nothing shows without a card').toBe(false);
    credits.setCard({ credits: 'Portraits by a GAN trained on DiceBear lorelei', licence: 'CC0 1.0' });
    credits.update();
    expect(credits.isShown()).toBe(true);
    expect(credits.element.style.opacity).toBe('1');
    expect(credits.element.textContent).toContain('DiceBear lorelei');
    expect(credits.element.textContent).toContain('Licence: CC0 1.0');
    bus.set('credits/visible', false, 'cue');
    credits.update();
    expect(credits.element.style.opacity).toBe('0');
    credits.dispose();
  });
});

describe('status screen', () => {
  it('is never blank: it says it is starting before anything else', () => {
    const s = new StatusScreen(mount());
    expect(s.element.isConnected).toBe(true);
    expect(s.element.textContent).toContain('Starting');
    expect(s.element.getBoundingClientRect().height).toBeGreaterThan(0);
    s.dispose();
  });

  it('shows steps, progress and a readable failure', () => {
    const s = new StatusScreen(mount(), 'Sitter');
    s.step('model', 'Loading the model');
    s.expect('camera', 'Opening the camera');
    s.progress('model', 0.5);
    expect(s.element.querySelector('[data-step="model"]')?.textContent).toContain('50%');
    const bar = s.element.querySelector<HTMLElement>('[role="progressbar"]');
    // start done (1) + model 0.5 + camera 0, over 3 steps.
    expect(bar?.getAttribute('aria-valuenow')).toBe('50');
    s.done('model');
    s.step('camera', 'Opening the camera');
    s.fail('camera', new Error('NotReadableError: the camera is in use by another program'));
    expect(s.hasFailed()).toBe(true);
    const alert = s.element.querySelector<HTMLElement>('[role="alert"]');
    expect(alert?.style.display).toBe('block');
    expect(alert?.textContent).toBe('Opening the camera failed: NotReadableError: the camera is in use by another program');
    s.fail('model', { code: 404 });
    expect(s.element.querySelector('[data-step="model"]')?.textContent).toContain('{"code":404}');
    s.hide();
    expect(s.element.style.display).toBe('none');
    s.dispose();
  });
});
