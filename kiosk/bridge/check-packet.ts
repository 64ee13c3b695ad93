import OSC from 'osc-js';
import type { DropReason } from '../../src/core/osc/types.ts';

export type Checked =
  /** `types` (osc-js's ",f…") is part of the coalescing key: a stray string never replaces a fader's float. */
  | { readonly ok: true; readonly kind: 'message'; readonly address: string; readonly types: string }
  | { readonly ok: true; readonly kind: 'bundle' }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

/**
 * Checks untrusted bytes before they go anywhere: size first (cheap), then a full decode with osc-js, which throws
 * on most malformed input; trailing bytes after a message are refused too (osc-js would silently ignore them).
 */
export function checkPacket(bytes: Uint8Array, maxBytes: number): Checked {
  if (bytes.byteLength > maxBytes) return { ok: false, reason: 'oversize', detail: `${bytes.byteLength} bytes > ${maxBytes}` };
  if (bytes.byteLength === 0 || bytes.byteLength % 4 !== 0) {
    return { ok: false, reason: 'malformed', detail: `${bytes.byteLength} bytes is not a positive multiple of 4 (OSC 1.0)` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packet = new OSC.Packet();
  let end: number;
  try {
    end = packet.unpack(view);
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: e instanceof Error ? e.message : String(e) };
  }
  const value: unknown = packet.value;
  if (value instanceof OSC.Message) {
    if (end !== bytes.byteLength) return { ok: false, reason: 'malformed', detail: `${bytes.byteLength - end} bytes after the message` };
    // NaN and ±Infinity are never a value in Sitter. Dropped here, so a late NaN cannot coalesce away the good value
    // before it (the bridge keeps the latest packet per address).
    if (value.types.includes('I') || value.args.some((a) => typeof a === 'number' && !Number.isFinite(a))) {
      return { ok: false, reason: 'not-finite', detail: `${value.address}: NaN or Infinity` };
    }
    return { ok: true, kind: 'message', address: value.address, types: value.types };
  }
  if (value instanceof OSC.Bundle) return { ok: true, kind: 'bundle' };
  return { ok: false, reason: 'malformed', detail: 'neither a message nor a bundle' };
}
