import { decodePacket } from '../../src/core/osc/decode.ts';
import type { DropReason } from '../../src/core/osc/types.ts';

export type Checked =
  /** `types` (",f…") is part of the coalescing key: a stray string never replaces a fader's float. */
  | { readonly ok: true; readonly kind: 'message'; readonly address: string; readonly types: string }
  | { readonly ok: true; readonly kind: 'bundle' }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

/**
 * Checks untrusted bytes before they go anywhere: size first (cheap), then a full bounds-checked decode (the core's
 * decoder: it never throws and costs a fraction of osc-js's, which matters under a flood — bench/node/osc.bench.ts).
 */
export function checkPacket(bytes: Uint8Array, maxBytes: number): Checked {
  if (bytes.byteLength > maxBytes) return { ok: false, reason: 'oversize', detail: `${bytes.byteLength} bytes > ${maxBytes}` };
  const d = decodePacket(bytes);
  if (!d.ok) return { ok: false, reason: 'malformed', detail: d.error };
  const p = d.packet;
  if (!('address' in p)) return { ok: true, kind: 'bundle' };
  // NaN and ±Infinity are never a value in Sitter. Dropped here, so a late NaN cannot coalesce away the good value
  // before it (the bridge keeps the latest packet per address).
  if (p.types.includes('I') || p.args.some((a) => typeof a === 'number' && !Number.isFinite(a))) {
    return { ok: false, reason: 'not-finite', detail: `${p.address}: NaN or Infinity` };
  }
  return { ok: true, kind: 'message', address: p.address, types: p.types };
}
