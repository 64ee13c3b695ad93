import { joinIndex, type Reporter } from '../issues.ts';
import { describeChoices, readString } from '../read.ts';
import { BACKEND_CHOICES, type BackendChoice } from '../types.ts';

/** A folder name, never a path: a show file must not be able to point the loader outside models/. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const DEFAULT_MODEL = 'default';

/** Order tried for "auto": WebGPU where it exists, WebGL almost everywhere, then the CPU-bound ones. */
export const AUTO_BACKENDS: readonly BackendChoice[] = BACKEND_CHOICES;

export function readModel(r: Reporter, raw: unknown, path: string): string {
  return readString(
    r, raw, path, 'a folder name under models/ (letters, digits, ".", "_", "-")', DEFAULT_MODEL,
    (s) => MODEL_ID.test(s) && s !== '..',
  );
}

const EXPECTED_BACKEND = `"auto" or a list of ${describeChoices(BACKEND_CHOICES)}`;

export function readBackend(r: Reporter, raw: unknown, path: string): readonly BackendChoice[] {
  if (raw === undefined || raw === 'auto') return AUTO_BACKENDS;
  if (!Array.isArray(raw) || raw.length === 0) {
    r.expected(path, EXPECTED_BACKEND, raw);
    return AUTO_BACKENDS;
  }
  const out: BackendChoice[] = [];
  (raw as readonly unknown[]).forEach((item, i) => {
    const found = BACKEND_CHOICES.find((b) => b === item);
    if (found === undefined) r.expected(joinIndex(path, i), describeChoices(BACKEND_CHOICES), item);
    else if (out.includes(found)) r.expected(joinIndex(path, i), 'a backend not listed before', item);
    else out.push(found);
  });
  return out.length > 0 ? out : AUTO_BACKENDS;
}
