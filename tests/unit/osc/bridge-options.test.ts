import { describe, expect, it } from 'vitest';
import { checkPacket } from '../../../kiosk/bridge/check-packet.ts';
import { allowed, resolveOptions } from '../../../kiosk/bridge/options.ts';
import { typed } from './oscjs.ts';

describe('bridge options and packet checks', () => {
  it('defaults to every interface on the usual ports', () => {
    const o = resolveOptions({});
    expect(o).toMatchObject({ udpHost: '0.0.0.0', udpPort: 9000, http: { host: '0.0.0.0', port: 5678 }, wsPath: '/osc', maxPacketBytes: 8192, flushMs: 0, feedback: null });
    expect(resolveOptions({ http: false }).http).toBeNull();
  });

  it('refuses impossible options with what and where', () => {
    expect(() => resolveOptions({ udp: { port: 70000 } })).toThrow(/udp.port/);
    expect(() => resolveOptions({ feedback: { host: 'x', port: -1 } })).toThrow(/feedback.port/);
    expect(() => resolveOptions({ wsPath: 'osc' })).toThrow(/wsPath/);
    expect(() => resolveOptions({ maxPacketBytes: 4 })).toThrow(/maxPacketBytes/);
  });

  it('lets the page host in always, others by the list', () => {
    const list = new Set(['192.168.1.20']);
    expect(allowed(list, '127.0.0.1')).toBe(true);
    expect(allowed(list, '::1')).toBe(true);
    expect(allowed(list, '192.168.1.20')).toBe(true);
    expect(allowed(list, '::ffff:192.168.1.20')).toBe(true);
    expect(allowed(list, '192.168.1.21')).toBe(false);
    expect(allowed(list, '127.0.0.2')).toBe(false);
    expect(allowed(new Set(), '10.0.0.9')).toBe(true);
    expect(allowed(new Set(), undefined)).toBe(false);
  });

  it('keys messages by address and type tags, and stops NaN/Infinity', () => {
    expect(checkPacket(typed('/sitter/walk/speed', ['f', 1]), 8192)).toEqual({ ok: true, kind: 'message', address: '/sitter/walk/speed', types: ',f' });
    expect(checkPacket(typed('/a', ['f', Number.NaN]), 8192)).toMatchObject({ ok: false, reason: 'not-finite' });
    expect(checkPacket(typed('/a', ['I', null]), 8192)).toMatchObject({ ok: false, reason: 'not-finite' });
    expect(checkPacket(typed('/a', ['s', 'x'.repeat(100)]), 64)).toMatchObject({ ok: false, reason: 'oversize' });
    expect(checkPacket(new Uint8Array(8), 8192)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
