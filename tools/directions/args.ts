/** Command-line arguments of `npm run directions`, checked with messages that name the option. */
import type { DirectionsRun } from './run.ts';

export const USAGE = 'usage: npm run directions -- <model-dir> [--samples N] [--components K] [--layer NAME] [--seed S] [--rows R] [--truncation PSI]';

export function parseDirectionsArgs(argv: readonly string[]): DirectionsRun {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--')) {
      const v = argv[i + 1];
      if (v === undefined) throw new Error(`${a}: expected a value\n${USAGE}`);
      flags.set(a.slice(2), v);
      i++;
    } else positional.push(a);
  }
  const known = new Set(['samples', 'components', 'layer', 'seed', 'rows', 'truncation']);
  for (const k of flags.keys()) if (!known.has(k)) throw new Error(`--${k}: unknown option\n${USAGE}`);
  const modelDir = positional[0];
  if (!modelDir || positional.length > 1) throw new Error(USAGE);
  const int = (name: string, def: number, min: number): number => {
    const raw = flags.get(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected a whole number ≥ ${min}, got "${raw}"`);
    return n;
  };
  const psiRaw = flags.get('truncation');
  const truncation = psiRaw === undefined ? undefined : Number(psiRaw);
  if (truncation !== undefined && !(truncation >= 0 && truncation <= 1.5)) {
    throw new Error(`--truncation: expected a number from 0 to 1.5, got "${psiRaw}"`);
  }
  const layer = flags.get('layer');
  return {
    modelDir,
    samples: int('samples', 2000, 16),
    components: int('components', 8, 1),
    seed: int('seed', 1, 0),
    rows: int('rows', 4, 1),
    ...(truncation !== undefined ? { truncation } : {}),
    ...(layer !== undefined ? { layer } : {}),
  };
}

