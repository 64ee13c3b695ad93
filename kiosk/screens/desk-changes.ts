import { decodePacket } from '../../src/core/osc/decode.ts';
import { flattenPacket } from '../../src/core/osc/packet.ts';
import { argsForSpec } from '../../src/core/osc/args.ts';
import { DEFAULT_PREFIX, NORM_SEGMENT } from '../../src/core/osc/address-space.ts';
import { coerce, fromNormalised } from '../../src/core/params/coerce.ts';
import { PARAMS, isParamName, type ParamName } from '../../src/core/params/catalogue.ts';
import type { ParamSpec, ParamValue } from '../../src/core/params/types.ts';

const SPECS = new Map<string, ParamSpec>(PARAMS.map((s) => [s.name, s]));

/**
 * The desk-layer values in one OSC packet, read the way the page's router reads /sitter/<name> and
 * /sitter/norm/<name> (argsForSpec, coerce, fromNormalised). Commands, patterns and unknown names are not layer
 * changes and are left to the page.
 */
export function deskChanges(bytes: Uint8Array): Array<{ name: ParamName; value: ParamValue }> {
  const d = decodePacket(bytes);
  if (!d.ok) return [];
  const flat = flattenPacket(d.packet);
  if (!flat.ok) return [];
  const out: Array<{ name: ParamName; value: ParamValue }> = [];
  for (const { message } of flat.messages) {
    if (!message.address.startsWith(`${DEFAULT_PREFIX}/`)) continue;
    let name = message.address.slice(DEFAULT_PREFIX.length + 1);
    const norm = name.startsWith(`${NORM_SEGMENT}/`);
    if (norm) name = name.slice(NORM_SEGMENT.length + 1);
    const spec = SPECS.get(name);
    if (!spec || spec.access !== 'rw' || !isParamName(name)) continue;
    const a = argsForSpec(spec, message);
    if (!a.ok) continue;
    const c = norm ? (typeof a.value === 'number' ? fromNormalised(spec, a.value) : null) : coerce(spec, a.value);
    if (c?.ok) out.push({ name, value: c.value });
  }
  return out;
}
