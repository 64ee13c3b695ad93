import { decodePacket, type DecodedPacket } from '../../src/core/osc/decode.ts';
import type { DropReason, OscMessage } from '../../src/core/osc/types.ts';

export type Checked =
  /** `types` (",f…") is part of the coalescing key: a stray string never replaces a fader's float. */
  | { readonly ok: true; readonly kind: 'message'; readonly address: string; readonly types: string }
  | { readonly ok: true; readonly kind: 'bundle' }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string; readonly address?: string };

/**
 * Checks untrusted bytes before they go anywhere: size first (cheap), then a full bounds-checked decode (the core's
 * decoder: it never throws and costs a fraction of osc-js's, which matters under a flood — bench/node/osc.bench.ts).
 */
export function checkPacket(bytes: Uint8Array, maxBytes: number): Checked {
  if (bytes.byteLength > maxBytes) return { ok: false, reason: 'oversize', detail: `${bytes.byteLength} bytes > ${maxBytes}` };
  const d = decodePacket(bytes);
  if (!d.ok) return { ok: false, reason: 'malformed', detail: d.error };
  const p = d.packet;
  // NaN and ±Infinity are never a value in Sitter. Dropped here, so a late NaN cannot coalesce away the good value
  // before it (the bridge keeps the latest packet per address). A bundle is applied whole or not at all (OSC 1.0), so
  // one such element drops the bundle.
  const bad = firstNotFinite(p);
  if (bad) return { ok: false, reason: 'not-finite', address: bad.address, detail: `NaN or Infinity${'address' in p ? '' : ' in a bundle element: the bundle is dropped whole'}` };
  if (!('address' in p)) return { ok: true, kind: 'bundle' };
  return { ok: true, kind: 'message', address: p.address, types: p.types };
}

function firstNotFinite(p: DecodedPacket): OscMessage | null {
  if ('address' in p) return p.types.includes('I') || p.args.some((a) => typeof a === 'number' && !Number.isFinite(a)) ? p : null;
  // The decoder bounds nesting depth, so this recursion is bounded too.
  for (const e of p.bundleElements) {
    const bad = firstNotFinite(e);
    if (bad) return bad;
  }
  return null;
}
