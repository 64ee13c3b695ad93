import { describe, expect, it } from 'vitest';
import { OriginPolicy, normaliseOrigin, splitHost } from '../../../kiosk/net/origin-policy.ts';

const policy = (allowOrigins: readonly string[] = []): OriginPolicy =>
  new OriginPolicy({ pagePort: () => 8080, allowOrigins, hostname: 'Gallery-PC', localAddresses: () => ['192.168.1.5', 'fe80::1'] });

describe('Host and Origin policy', () => {
  it('reads Host headers strictly', () => {
    expect(splitHost('127.0.0.1:8080')).toEqual({ name: '127.0.0.1', port: '8080' });
    expect(splitHost('[::1]:5678')).toEqual({ name: '::1', port: '5678' });
    expect(splitHost('Gallery-PC')).toEqual({ name: 'gallery-pc', port: '' });
    for (const bad of ['a@b', 'a/b', 'a b', '', 'x:y', '[::1']) expect(splitHost(bad), bad).toBeNull();
    expect(normaliseOrigin('http://127.0.0.1:80')).toBe('http://127.0.0.1');
    expect(normaliseOrigin('file:///x')).toBeNull();
  });

  it('accepts IP literals and the machine\'s names as Host, refuses other names (DNS rebinding) with 421', () => {
    const p = policy();
    for (const ok of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', '192.168.1.77:8080', 'gallery-pc:8080', 'gallery-pc.local', undefined]) {
      expect(p.checkHost(ok).ok, String(ok)).toBe(true);
    }
    expect(p.checkHost('evil.example:8080')).toMatchObject({ ok: false, status: 421 });
    expect(p.checkHost('localhost.evil.example')).toMatchObject({ ok: false, status: 421 });
  });

  it('lets the page\'s own origin in, on this server and on the OSCQuery port, and nothing else', () => {
    const p = policy();
    // Same origin as the request.
    expect(p.checkOrigin('http://127.0.0.1:8080', '127.0.0.1:8080').ok).toBe(true);
    expect(p.checkOrigin('http://192.168.1.5:8080', '192.168.1.5:8080').ok).toBe(true);
    // The kiosk page (port 8080) on any of our names, to the OSCQuery port.
    for (const o of ['http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080', 'http://192.168.1.5:8080', 'http://gallery-pc.local:8080']) {
      expect(p.checkOrigin(o, '127.0.0.1:5678').ok, o).toBe(true);
    }
    // Not browsers: no Origin at all.
    expect(p.checkOrigin(undefined, '127.0.0.1:5678').ok).toBe(true);
    // Everything else: 403.
    for (const o of ['http://127.0.0.1:9999', 'http://evil.example', 'https://127.0.0.1:8080', 'http://192.168.1.99:8080', 'null', 'chrome-extension://abc', 'garbage']) {
      expect(p.checkOrigin(o, '127.0.0.1:8080'), o).toMatchObject({ ok: false, status: 403 });
    }
    // A rebinding page is "same origin" with its Host, but its Host is refused: still 403 here.
    expect(p.checkOrigin('http://evil.example:8080', 'evil.example:8080')).toMatchObject({ ok: false, status: 403 });
  });

  it('adds the show\'s allowOrigins, compared in their serialised form', () => {
    const p = policy(['http://192.168.1.30:8000', 'https://desk.example']);
    expect(p.checkOrigin('http://192.168.1.30:8000', '127.0.0.1:8080').ok).toBe(true);
    expect(p.checkOrigin('https://desk.example:443', '127.0.0.1:8080').ok).toBe(true);
    expect(p.checkOrigin('http://192.168.1.30:8001', '127.0.0.1:8080').ok).toBe(false);
    expect(() => policy(['not an origin'])).toThrow(/allowOrigins/);
  });
});
