import OSC from 'osc-js';
import { describe, expect, it } from 'vitest';
import { checkPacket } from '../../../kiosk/bridge/check-packet.ts';
import { allowed, resolveOptions } from '../../../kiosk/bridge/options.ts';
import { parseRanges } from '../../../kiosk/net/address-match.ts';
import { typed } from './oscjs.ts';

describe('bridge options and packet checks', () => {
  it('defaults to every interface on the usual ports', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({ udpHosts: ['0.0.0.0'], udpPort: 9000, http: { hosts: ['0.0.0.0'], port: 5678 }, wsPath: '/osc', maxPacketBytes: 8192, flushMs: 0, feedback: null });
    expect(resolveOptions({ http: false }).http).toBeNull();
    expect(resolveOptions({ udp: { hosts: ['127.0.0.1', '127.0.0.2', '127.0.0.1'] } }).udpHosts).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('refuses impossible options with what and where', () => {
    expect(() => resolveOptions({ udp: { port: 70000 } })).toThrow(/udp.port/);
    expect(() => resolveOptions({ feedback: { host: 'x', port: -1 } })).toThrow(/feedback.port/);
    expect(() => resolveOptions({ wsPath: 'osc' })).toThrow(/wsPath/);
    expect(() => resolveOptions({ maxPacketBytes: 4 })).toThrow(/maxPacketBytes/);
    expect(() => resolveOptions({ udp: { hosts: [] } })).toThrow(/udp.hosts/);
    expect(() => resolveOptions({ allow: ['10.0.0.0/33'] })).toThrow(/allow/);
  });

  it('lets the page host in always, others by the list', () => {
    const list = parseRanges(['192.168.1.20']);
    expect(allowed(list, '127.0.0.1')).toBe(true);
    expect(allowed(list, '::1')).toBe(true);
    expect(allowed(list, '192.168.1.20')).toBe(true);
    expect(allowed(list, '::ffff:192.168.1.20')).toBe(true);
    expect(allowed(list, '192.168.1.21')).toBe(false);
    expect(allowed(list, '127.0.0.2')).toBe(false);
    expect(allowed([], '10.0.0.9')).toBe(true);
    expect(allowed([], undefined)).toBe(false);
  });

  it('matches CIDR ranges at run time as validation accepted them, IPv4 in its v4-mapped form too', () => {
    const list = parseRanges(['127.0.0.0/8', '192.168.1.0/24', 'fe80::/10', '2001:db8::1', '::ffff:10.1.0.0/112']);
    expect(allowed(list, '127.0.0.2')).toBe(true);
    expect(allowed(list, '::ffff:127.0.0.2')).toBe(true);
    expect(allowed(list, '192.168.1.254')).toBe(true);
    expect(allowed(list, '::ffff:192.168.1.7')).toBe(true);
    expect(allowed(list, '192.168.2.1')).toBe(false);
    expect(allowed(list, 'fe80::1234:5678%eth0')).toBe(true);
    expect(allowed(list, 'fec0::1')).toBe(false);
    expect(allowed(list, '2001:0db8:0:0::1')).toBe(true);
    expect(allowed(list, '2001:db8::2')).toBe(false);
    expect(allowed(list, '10.1.3.4')).toBe(true);
    expect(allowed(list, '10.2.3.4')).toBe(false);
    expect(allowed(parseRanges(['0.0.0.0/0']), '8.8.8.8')).toBe(true);
    expect(allowed(parseRanges(['0.0.0.0/0']), '2001:db8::2')).toBe(false);
    expect(allowed(list, 'not-an-address')).toBe(false);
  });

  it('keys messages by address and type tags, and stops NaN/Infinity', () => {
    expect(checkPacket(typed('/sitter/walk/speed', ['f', 1]), 8192)).toEqual({ ok: true, kind: 'message', address: '/sitter/walk/speed', types: ',f' });
    expect(checkPacket(typed('/a', ['f', Number.NaN]), 8192)).toMatchObject({ ok: false, reason: 'not-finite' });
    expect(checkPacket(typed('/a', ['I', null]), 8192)).toMatchObject({ ok: false, reason: 'not-finite' });
    expect(checkPacket(typed('/a', ['s', 'x'.repeat(100)]), 64)).toMatchObject({ ok: false, reason: 'oversize' });
    expect(checkPacket(new Uint8Array(8), 8192)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('drops a whole bundle when any element, at any depth, carries NaN, Infinity or I', () => {
    const good = new OSC.Bundle([new OSC.Message('/sitter/walk/speed', 1.5)]);
    expect(checkPacket(good.pack(), 8192)).toEqual({ ok: true, kind: 'bundle' });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const b = bundleOf(typed('/sitter/grade/tint', ['f', 0.5]), bundleOf(typed('/sitter/walk/speed', ['f', bad])));
      expect(checkPacket(b, 8192)).toMatchObject({ ok: false, reason: 'not-finite', address: '/sitter/walk/speed' });
    }
    expect(checkPacket(bundleOf(typed('/sitter/walk/speed', ['I', null])), 8192)).toMatchObject({ ok: false, reason: 'not-finite' });
    expect(checkPacket(bundleOf(typed('/sitter/walk/speed', ['f', 2])), 8192)).toEqual({ ok: true, kind: 'bundle' });
  });
});

/** A bundle framed by hand (#bundle, timetag "now", size + bytes per element): osc-js's Bundle takes no TypedMessage. */
function bundleOf(...elements: Uint8Array[]): Uint8Array {
  const size = 16 + elements.reduce((n, e) => n + 4 + e.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode('#bundle'), 0);
  view.setUint32(12, 1);
  let at = 16;
  for (const e of elements) {
    view.setInt32(at, e.byteLength);
    out.set(e, at + 4);
    at += 4 + e.byteLength;
  }
  return out;
}
