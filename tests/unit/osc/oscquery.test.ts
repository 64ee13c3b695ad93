import { describe, expect, it } from 'vitest';
import { ParameterBus } from '../../../src/core/params/bus.ts';
import { PARAMS } from '../../../src/core/params/catalogue.ts';
import { buildOscQueryTree, findNode, hostInfo } from '../../../src/core/osc/oscquery.ts';
import { AddressSpace } from '../../../src/core/osc/address-space.ts';
import { parseBridgeMessage, parsePageMessage } from '../../../src/core/osc/ws-protocol.ts';
import { checkNode } from './oscquery-check.ts';

describe('OSCQuery namespace', () => {
  const bus = new ParameterBus(PARAMS);
  const tree = buildOscQueryTree(PARAMS, bus.snapshot());

  it('follows the proposal\'s structure everywhere', () => {
    const problems: string[] = [];
    checkNode(tree, '/', problems);
    expect(problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(tree))).toEqual(tree);
  });

  it.each(PARAMS.map((s) => [s.name, s] as const))('describes %s from its spec', (name, spec) => {
    const node = findNode(tree, `/sitter/${name}`);
    expect(node).toBeDefined();
    expect(node?.DESCRIPTION).toBe(spec.description);
    expect(node?.ACCESS).toBe(spec.access === 'rw' ? 3 : 1);
    expect(node?.VALUE).toEqual(Array.isArray(spec.default) ? spec.default : [spec.default]);
    switch (spec.type) {
      case 'float':
        expect(node).toMatchObject({ TYPE: 'f', RANGE: [{ MIN: spec.min, MAX: spec.max }], CLIPMODE: ['both'] });
        break;
      case 'int':
        expect(node).toMatchObject({ TYPE: 'i', RANGE: [{ MIN: spec.min, MAX: spec.max }], CLIPMODE: ['both'] });
        break;
      case 'bool':
        expect(node).toMatchObject({ TYPE: 'T', RANGE: [{ VALS: [false, true] }] });
        break;
      case 'enum':
        expect(node).toMatchObject({ TYPE: 's', RANGE: [{ VALS: spec.values }] });
        break;
      case 'vec':
        expect(node?.TYPE).toBe('f'.repeat(spec.length));
        break;
    }
    if ('unit' in spec && spec.unit) expect(node?.UNIT?.length).toBe(1);
  });

  it('lists the commands as write-only methods and puts current values in VALUE', () => {
    expect(findNode(tree, '/sitter/cue/go')).toMatchObject({ TYPE: 'N', ACCESS: 2 });
    expect(findNode(tree, '/sitter/panic')).toMatchObject({ TYPE: 'N', ACCESS: 2 });
    expect(findNode(tree, '/sitter/learn')).toMatchObject({ TYPE: 's', ACCESS: 2, CONTENTS: { cancel: { TYPE: 'N' } } });
    bus.set('walk/speed', 2.5, 'desk');
    expect(findNode(buildOscQueryTree(PARAMS, bus.snapshot()), '/sitter/walk/speed/')?.VALUE).toEqual([2.5]);
    expect(findNode(tree, '/sitter/walk')?.CONTENTS?.speed).toBeDefined();
    expect(findNode(tree, '/sitter/nope')).toBeUndefined();
  });

  it('has a method for every literal address the router answers, but the norm forms', () => {
    const space = new AddressSpace(PARAMS);
    const missing = space.addresses().filter((a) => !a.startsWith('/sitter/norm/') && !findNode(tree, a)?.TYPE);
    expect(missing).toEqual([]);
  });

  it('answers HOST_INFO with the transport and ports', () => {
    const h = hostInfo({ name: 'Sitter', oscIp: '127.0.0.1', oscPort: 9000, wsIp: '127.0.0.1', wsPort: 9001 });
    expect(h).toMatchObject({ NAME: 'Sitter', OSC_PORT: 9000, OSC_TRANSPORT: 'UDP', WS_PORT: 9001, EXTENSIONS: { LISTEN: true, VALUE: true } });
  });
});

describe('page ⇄ bridge WebSocket protocol', () => {
  it('accepts the page messages and refuses anything else with a reason', () => {
    expect(parsePageMessage('{"type":"hello","role":"page","protocol":1}')).toEqual({ ok: true, message: { type: 'hello', role: 'page', protocol: 1 } });
    expect(parsePageMessage('{"type":"values","full":true,"values":{"walk/speed":2,"walk/mode":"loop","a":[1,2]}}')).toMatchObject({ ok: true });
    expect(parsePageMessage('{"type":"values","values":{"x":null}}')).toMatchObject({ ok: false, error: expect.stringContaining('values.values.x') });
    expect(parsePageMessage('nope').ok).toBe(false);
    expect(parsePageMessage('{"type":"reboot"}').ok).toBe(false);
    expect(parseBridgeMessage('{"type":"welcome","protocol":1,"udpPort":9000,"feedback":null}')).toMatchObject({ ok: true });
    // The bridge's counters: numbers kept, anything else made harmless (the HUD prints them).
    expect(parseBridgeMessage(JSON.stringify({ type: 'stats', stats: { received: 5, receivedPerSecond: 'x', forwarded: 4, dropped: { malformed: 2, bad: 'y' }, kernelDrops: 7, kernelDropsSource: 'socket' } }))).toEqual({
      ok: true,
      message: { type: 'stats', stats: { received: 5, receivedPerSecond: 0, forwarded: 4, forwardedPerSecond: 0, dropped: { malformed: 2 }, kernelDrops: 7, kernelDropsSource: 'socket' } },
    });
    expect(parseBridgeMessage('{"type":"stats","stats":{"kernelDrops":null,"kernelDropsSource":"evil"}}')).toMatchObject({ ok: true, message: { stats: { kernelDrops: null, kernelDropsSource: 'none' } } });
  });
});
