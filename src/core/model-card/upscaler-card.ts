/**
 * An upscaler folder's `card.json` (models/upscale-x4/): a super-resolution stage that follows a generator, not a
 * generator. It shares the generator card's provenance section (what it was trained on, under which licences) and
 * says how to run it: the factor, the manifest file, the input it expects. Validated once, at load, like a
 * generator's card; the runtime never sees the raw JSON.
 */
import type { DataLicence } from './types.ts';
import { describeValue, isObj, readFolderPath, readLicences, Reader } from './validate.ts';

export const UPSCALER_FORMATS = ['sitter-upscaler'] as const;
export type UpscalerFormat = (typeof UPSCALER_FORMATS)[number];

export interface UpscalerCard {
  readonly id: string;
  readonly title: string;
  readonly kind: 'upscaler';
  readonly format: UpscalerFormat;
  /** The network manifest (conv plan + weightsManifest), relative to the card's folder. */
  readonly modelUrl: string;
  /** Output side ÷ input side (×2 is made from ×4 by the page). */
  readonly factor: 4;
  readonly input: {
    readonly channels: 3;
    readonly range: readonly [0, 1];
    readonly layout: 'NHWC';
    /** Largest input side it was made for: bigger inputs are left as they are (memory, and no gain). */
    readonly maxSide: number;
  };
  readonly provenance: {
    readonly authors: readonly string[];
    readonly trainingData: string;
    readonly dataLicences: readonly DataLicence[];
    readonly licence: string;
  };
  readonly training: Readonly<Record<string, unknown>>;
  readonly eval: Readonly<Record<string, unknown>>;
}

export type UpscalerCardResult = { readonly ok: true; readonly card: UpscalerCard } | { readonly ok: false; readonly errors: readonly string[] };

/** Checks a parsed upscaler card.json; every error names its field, prefixed with `source`. Pure. */
export function validateUpscalerCard(json: unknown, source = 'card.json'): UpscalerCardResult {
  if (!isObj(json)) return { ok: false, errors: [`${source}: expected a JSON object, got ${describeValue(json)}`] };
  const r = new Reader();
  if (json['kind'] !== 'upscaler') r.fail('kind', '"upscaler"', json['kind']);
  const inputObj = r.obj(json, 'input', 'input');
  const provObj = r.obj(json, 'provenance', 'provenance');
  const factor = json['factor'];
  if (factor !== 4) r.fail('factor', '4', factor);
  if (inputObj['channels'] !== 3) r.fail('input.channels', '3', inputObj['channels']);
  const range = inputObj['range'];
  if (!(Array.isArray(range) && range.length === 2 && range[0] === 0 && range[1] === 1)) r.fail('input.range', '[0, 1]', range);
  if (inputObj['layout'] !== 'NHWC') r.fail('input.layout', '"NHWC"', inputObj['layout']);
  const training = json['training'];
  const evaluation = json['eval'];
  if (!isObj(training)) r.fail('training', 'an object', training);
  if (!isObj(evaluation)) r.fail('eval', 'an object', evaluation);
  const card: UpscalerCard = {
    id: r.str(json, 'id', 'id'),
    title: r.str(json, 'title', 'title'),
    kind: 'upscaler',
    format: r.oneOf(json, 'format', 'format', UPSCALER_FORMATS),
    modelUrl: readFolderPath(r, json, 'modelUrl', 'modelUrl'),
    factor: 4,
    input: { channels: 3, range: [0, 1], layout: 'NHWC', maxSide: r.posInt(inputObj, 'maxSide', 'input.maxSide', 4096) },
    provenance: {
      authors: r.strings(provObj, 'authors', 'provenance.authors'),
      trainingData: r.str(provObj, 'trainingData', 'provenance.trainingData'),
      dataLicences: readLicences(r, provObj),
      licence: r.str(provObj, 'licence', 'provenance.licence'),
    },
    training: isObj(training) ? training : {},
    eval: isObj(evaluation) ? evaluation : {},
  };
  if (r.errors.length > 0) return { ok: false, errors: r.errors.map((e) => `${source}: ${e}`) };
  return { ok: true, card };
}
