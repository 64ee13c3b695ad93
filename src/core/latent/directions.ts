/**
 * The format of models/<id>/directions.json: named semantic directions in a model's latent space, each a unit
 * vector with the σ that makes "steer/i = 1" one typical step. Validated once, at load, into typed data with
 * errors that name the field ("directions[2].vector: expected 128 numbers, got 127").
 */
export const DIRECTIONS_FORMAT = 'sitter-directions/1';

/** Unit vectors are written as float32 text; allow that much rounding and no more. */
const UNIT_TOLERANCE = 1e-3;

export interface DirectionProvenance {
  /** Model id or folder the directions were found for. */
  readonly model: string;
  /** How they were found, e.g. "ganspace-pca" (Härkönen et al. 2020) or "manual". */
  readonly method: string;
  /** Layer whose activations were analysed, when the method uses one. */
  readonly layer?: string;
  readonly samples?: number;
  readonly seed?: number;
  readonly created?: string;
  readonly tool?: string;
  /** SHA-256 (hex) of the model's weight files the directions were found for; stale after retraining if it differs. */
  readonly weightsSha256?: string;
}

export interface LatentDirection {
  readonly name: string;
  readonly vector: Float32Array;
  /** Latent distance of one standard deviation along this direction. */
  readonly sigma: number;
  /** Share of the analysed layer's variance this direction explains, when known. */
  readonly explainedVariance?: number;
  readonly description?: string;
}

export interface DirectionSet {
  readonly latentSize: number;
  /** The space the vectors live in: 'z' (the model's input; the default) or 'w' (a StyleGAN's mapped space). */
  readonly space?: 'z' | 'w';
  readonly provenance: DirectionProvenance;
  readonly directions: readonly LatentDirection[];
}

export type ParsedDirections =
  | { readonly ok: true; readonly value: DirectionSet }
  | { readonly ok: false; readonly errors: readonly string[] };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function got(x: unknown): string {
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (x === null) return 'null';
  if (typeof x === 'string') return JSON.stringify(x);
  return typeof x === 'object' ? 'an object' : String(x);
}

/** The text of a directions.json, as read from disk or fetched: JSON syntax errors become ordinary errors. */
export function parseDirectionsText(text: string, expectedLatentSize?: number): ParsedDirections {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`directions.json: not valid JSON (${e instanceof SyntaxError ? e.message : 'unreadable'})`] };
  }
  return parseDirections(json, expectedLatentSize);
}

/** Checks untrusted JSON; `expectedLatentSize` (from the model card) must match when given. */
export function parseDirections(json: unknown, expectedLatentSize?: number): ParsedDirections {
  const errors: string[] = [];
  if (!isRecord(json)) return { ok: false, errors: [`directions.json: expected an object, got ${got(json)}`] };
  if (json.format !== DIRECTIONS_FORMAT) errors.push(`format: expected "${DIRECTIONS_FORMAT}", got ${got(json.format)}`);
  const size = json.latentSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) {
    errors.push(`latentSize: expected a whole number ≥ 1, got ${got(size)}`);
  } else if (expectedLatentSize !== undefined && size !== expectedLatentSize) {
    errors.push(`latentSize: the model's latent has ${expectedLatentSize} numbers, got ${size}`);
  }
  const space = json.space;
  if (space !== undefined && space !== 'z' && space !== 'w') errors.push(`space: expected "z" or "w", got ${got(space)}`);
  const provenance = parseProvenance(json.provenance, errors);
  const list = json.directions;
  const directions: LatentDirection[] = [];
  if (!Array.isArray(list)) {
    errors.push(`directions: expected an array, got ${got(list)}`);
  } else {
    const names = new Set<string>();
    list.forEach((item: unknown, i) => {
      const d = parseDirection(item, `directions[${i}]`, typeof size === 'number' ? size : -1, errors);
      const name = isRecord(item) && typeof item.name === 'string' ? item.name : undefined;
      if (name !== undefined && names.has(name)) errors.push(`directions[${i}].name: "${name}" is used twice`);
      if (name !== undefined) names.add(name);
      if (d) directions.push(d);
    });
  }
  if (errors.length > 0 || !provenance || typeof size !== 'number') return { ok: false, errors };
  return { ok: true, value: { latentSize: size, ...(space === 'w' || space === 'z' ? { space } : {}), provenance, directions } };
}

function parseProvenance(x: unknown, errors: string[]): DirectionProvenance | undefined {
  if (!isRecord(x)) {
    errors.push(`provenance: expected an object, got ${got(x)}`);
    return undefined;
  }
  const bad = errors.length;
  for (const key of ['model', 'method'] as const) {
    if (typeof x[key] !== 'string' || x[key] === '') errors.push(`provenance.${key}: expected a non-empty string, got ${got(x[key])}`);
  }
  for (const key of ['layer', 'created', 'tool', 'weightsSha256'] as const) {
    if (x[key] !== undefined && typeof x[key] !== 'string') errors.push(`provenance.${key}: expected a string, got ${got(x[key])}`);
  }
  for (const key of ['samples', 'seed'] as const) {
    const v = x[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      errors.push(`provenance.${key}: expected a whole number ≥ 0, got ${got(v)}`);
    }
  }
  if (errors.length > bad) return undefined;
  const p: { -readonly [K in keyof DirectionProvenance]: DirectionProvenance[K] } = { model: x.model as string, method: x.method as string };
  if (typeof x.layer === 'string') p.layer = x.layer;
  if (typeof x.samples === 'number') p.samples = x.samples;
  if (typeof x.seed === 'number') p.seed = x.seed;
  if (typeof x.created === 'string') p.created = x.created;
  if (typeof x.tool === 'string') p.tool = x.tool;
  if (typeof x.weightsSha256 === 'string') p.weightsSha256 = x.weightsSha256;
  return p;
}

function parseDirection(x: unknown, path: string, size: number, errors: string[]): LatentDirection | undefined {
  if (!isRecord(x)) {
    errors.push(`${path}: expected an object, got ${got(x)}`);
    return undefined;
  }
  const bad = errors.length;
  if (typeof x.name !== 'string' || x.name.trim() === '') errors.push(`${path}.name: expected a non-empty string, got ${got(x.name)}`);
  const sigma = x.sigma;
  if (typeof sigma !== 'number' || !Number.isFinite(sigma) || sigma <= 0) errors.push(`${path}.sigma: expected a number > 0, got ${got(sigma)}`);
  const ev = x.explainedVariance;
  if (ev !== undefined && (typeof ev !== 'number' || !(ev >= 0 && ev <= 1))) {
    errors.push(`${path}.explainedVariance: expected a number from 0 to 1, got ${got(ev)}`);
  }
  if (x.description !== undefined && typeof x.description !== 'string') errors.push(`${path}.description: expected a string, got ${got(x.description)}`);
  const raw = x.vector;
  let vector: Float32Array | undefined;
  if (!Array.isArray(raw) || (size > 0 && raw.length !== size)) {
    errors.push(`${path}.vector: expected ${size > 0 ? size : 'latentSize'} numbers, got ${got(raw)}`);
  } else {
    vector = new Float32Array(raw.length);
    let nn = 0;
    for (let j = 0; j < raw.length; j++) {
      const v: unknown = raw[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        errors.push(`${path}.vector[${j}]: expected a finite number, got ${got(v)}`);
        return undefined;
      }
      vector[j] = v;
      nn += v * v;
    }
    const n = Math.sqrt(nn);
    if (Math.abs(n - 1) > UNIT_TOLERANCE) errors.push(`${path}.vector: expected a unit vector, got length ${n.toPrecision(6)}`);
  }
  if (errors.length > bad || !vector) return undefined;
  const d: { -readonly [K in keyof LatentDirection]: LatentDirection[K] } = { name: x.name as string, vector, sigma: sigma as number };
  if (typeof ev === 'number') d.explainedVariance = ev;
  if (typeof x.description === 'string') d.description = x.description;
  return d;
}

/** The JSON form (inverse of parseDirections); numbers are float32 values written in full. */
export function directionsToJson(set: DirectionSet): Record<string, unknown> {
  return {
    format: DIRECTIONS_FORMAT,
    latentSize: set.latentSize,
    ...(set.space !== undefined ? { space: set.space } : {}),
    provenance: { ...set.provenance },
    directions: set.directions.map((d) => ({
      name: d.name,
      sigma: d.sigma,
      ...(d.explainedVariance !== undefined ? { explainedVariance: d.explainedVariance } : {}),
      ...(d.description !== undefined ? { description: d.description } : {}),
      vector: Array.from(d.vector),
    })),
  };
}
