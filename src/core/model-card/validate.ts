import {
  CHANNEL_ORDERS,
  MODEL_FORMATS,
  OUTPUT_LAYOUTS,
  type CardResult,
  type DataLicence,
  type ModelCard,
  type OutputRange,
} from './types.ts';
import type { StyleGanCardSection } from '../stylegan/network.ts';

export type Obj = Readonly<Record<string, unknown>>;

export function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Short JSON of what was found, for error messages (long arrays and strings are cut). */
export function describeValue(x: unknown): string {
  if (x === undefined) return 'nothing';
  let s: string;
  try {
    s = JSON.stringify(x) ?? String(x);
  } catch {
    s = String(x);
  }
  s = s.replace(/,/g, ', ');
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/**
 * Collects every problem in one pass, each naming its field, so a trainer fixing a card sees them all at once.
 * Readers return a placeholder on error; the result is only used when no error was recorded.
 */
export class Reader {
  readonly errors: string[] = [];

  fail(path: string, expected: string, got: unknown): void {
    this.errors.push(`${path}: expected ${expected}, got ${describeValue(got)}`);
  }

  obj(parent: Obj, key: string, path: string): Obj {
    const v = parent[key];
    if (isObj(v)) return v;
    this.fail(path, 'an object', v);
    return {};
  }

  str(parent: Obj, key: string, path: string): string {
    const v = parent[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    this.fail(path, 'a non-empty string', v);
    return '';
  }

  posInt(parent: Obj, key: string, path: string, max = 1 << 16): number {
    const v = parent[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max) return v;
    this.fail(path, `an integer in 1..${max}`, v);
    return 1;
  }

  oneOf<T extends string>(parent: Obj, key: string, path: string, values: readonly T[]): T {
    const v = parent[key];
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.fail(path, `one of ${values.map((s) => `"${s}"`).join(', ')}`, v);
    return values[0] as T;
  }

  strings(parent: Obj, key: string, path: string): string[] {
    const v = parent[key];
    if (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.trim() !== '')) return v as string[];
    this.fail(path, 'a non-empty list of non-empty strings', v);
    return [];
  }

  /** A provenance string the gallery may still have to fill: present, a string, possibly "". */
  pendingStr(parent: Obj, key: string, path: string): string {
    const v = parent[key];
    if (typeof v === 'string') return v;
    this.fail(path, 'a string ("" until the gallery fills it)', v);
    return '';
  }

  /** A list of non-empty strings that may still be empty ([] until the gallery fills it). */
  pendingStrings(parent: Obj, key: string, path: string): string[] {
    const v = parent[key];
    if (Array.isArray(v) && v.length === 0) return [];
    return this.strings(parent, key, path);
  }

  /** An optional list of finite numbers; `length` pins its size when the model fixes it. */
  vector(parent: Obj, key: string, path: string, length?: number, lengthName = 'latent.size'): number[] | undefined {
    const v = parent[key];
    if (v === undefined) return undefined;
    const sized = Array.isArray(v) && (length === undefined ? v.length > 0 : v.length === length);
    if (sized && v.every((x) => typeof x === 'number' && Number.isFinite(x))) return v as number[];
    const expected = length === undefined ? 'a non-empty list of finite numbers' : `a list of ${length} finite numbers (${lengthName})`;
    this.fail(path, expected, Array.isArray(v) ? `a list of ${v.length} items` : v);
    return undefined;
  }
}

function readRange(r: Reader, output: Obj): OutputRange {
  const v = output['range'];
  if (Array.isArray(v) && v.length === 2 && v[1] === 1 && (v[0] === -1 || v[0] === 0)) {
    return v[0] === -1 ? [-1, 1] : [0, 1];
  }
  r.fail('output.range', '[-1, 1] or [0, 1]', v);
  return [-1, 1];
}

/** Model files must come from the model's own folder: the kiosk fetches nothing from outside at run time. */
export function readFolderPath(r: Reader, parent: Obj, key: string, path: string): string {
  const url = r.str(parent, key, path);
  if (url !== '' && (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('/') || url.split('/').includes('..'))) {
    r.fail(path, 'a path inside the model folder (no scheme, no leading "/", no "..")', url);
  }
  return url;
}

export function readLicences(r: Reader, prov: Obj): DataLicence[] {
  const v = prov['dataLicences'];
  if (!Array.isArray(v)) {
    r.fail('provenance.dataLicences', 'a list of {source, licence, url} ([] until the gallery fills it)', v);
    return [];
  }
  return v.map((item: unknown, i) => {
    const path = `provenance.dataLicences[${i}]`;
    if (!isObj(item)) {
      r.fail(path, 'an object {source, licence, url}', item);
      return { source: '', licence: '', url: '' };
    }
    return { source: r.str(item, 'source', `${path}.source`), licence: r.str(item, 'licence', `${path}.licence`), url: r.str(item, 'url', `${path}.url`) };
  });
}

/** The `stylegan` section an imported StyleGAN card carries; its sizes must agree with the rest of the card. */
function readStyleGan(r: Reader, json: Obj, format: string, latentSize: number, height: number, width: number): StyleGanCardSection | undefined {
  const isStyleGan = format === 'stylegan2' || format === 'stylegan3';
  const v = json['stylegan'];
  if (!isStyleGan) {
    if (v !== undefined) r.fail('stylegan', `no "stylegan" section for format "${format}"`, v);
    return undefined;
  }
  if (!isObj(v)) {
    r.fail('stylegan', 'an object', v);
    return undefined;
  }
  const s = v;
  const generation = r.oneOf(s, 'generation', 'stylegan.generation', ['stylegan2', 'stylegan3'] as const);
  if (generation !== format) r.fail('stylegan.generation', `"${format}" (the card's format)`, s['generation']);
  const zDim = r.posInt(s, 'zDim', 'stylegan.zDim');
  if (zDim !== latentSize) r.fail('stylegan.zDim', `${latentSize} (latent.size)`, s['zDim']);
  const wDim = r.posInt(s, 'wDim', 'stylegan.wDim');
  const c = s['cDim'];
  const cDim = typeof c === 'number' && Number.isInteger(c) && c >= 0 && c <= 1 << 16 ? c : (r.fail('stylegan.cDim', 'an integer in 0..65536', c), 0);
  const numWs = r.posInt(s, 'numWs', 'stylegan.numWs', 64);
  const resolution = r.posInt(s, 'resolution', 'stylegan.resolution', 4096);
  if (resolution !== height || resolution !== width) {
    r.fail('stylegan.resolution', `${height} (output.height and output.width)`, s['resolution']);
  }
  const network = readFolderPath(r, s, 'network', 'stylegan.network');
  const weights = readFolderPath(r, s, 'weights', 'stylegan.weights');
  const mappingLayers = s['mappingLayers'] === undefined ? undefined : r.posInt(s, 'mappingLayers', 'stylegan.mappingLayers', 64);
  return { generation, zDim, wDim, cDim, numWs, resolution, ...(mappingLayers !== undefined ? { mappingLayers } : {}), network, weights };
}

/** The optional `upscale` section: `{ "allow": true | false }`. */
function readUpscale(r: Reader, json: Obj): { allow: boolean } | undefined {
  const v = json['upscale'];
  if (v === undefined) return undefined;
  if (isObj(v) && typeof v['allow'] === 'boolean') return { allow: v['allow'] };
  r.fail('upscale', '{ "allow": true | false }', v);
  return undefined;
}

/**
 * Checks a parsed card.json and returns a typed ModelCard, or every error found, each prefixed with `source`
 * (e.g. `card.json: output.range: expected [-1, 1] or [0, 1], got [0, 255]`). Pure: no fetch, no tfjs.
 */
export function validateModelCard(json: unknown, source = 'card.json'): CardResult {
  if (!isObj(json)) return { ok: false, errors: [`${source}: expected a JSON object, got ${describeValue(json)}`] };
  const r = new Reader();
  const latentObj = r.obj(json, 'latent', 'latent');
  const outputObj = r.obj(json, 'output', 'output');
  const truncObj = r.obj(json, 'truncation', 'truncation');
  const provObj = r.obj(json, 'provenance', 'provenance');

  const size = r.posInt(latentObj, 'size', 'latent.size');
  const distribution = r.oneOf(latentObj, 'distribution', 'latent.distribution', ['normal'] as const);
  const channels = outputObj['channels'];
  if (channels !== 3) r.fail('output.channels', '3', channels);
  const recommended = truncObj['recommended'];
  if (!(typeof recommended === 'number' && recommended > 0 && recommended <= 2)) {
    r.fail('truncation.recommended', 'a number in (0, 2]', recommended);
  }
  const training = json['training'];
  const evaluation = json['eval'];
  if (!isObj(training)) r.fail('training', 'an object', training);
  if (!isObj(evaluation)) r.fail('eval', 'an object', evaluation);

  const card: ModelCard = {
    id: r.str(json, 'id', 'id'),
    title: r.str(json, 'title', 'title'),
    format: r.oneOf(json, 'format', 'format', MODEL_FORMATS),
    modelUrl: readFolderPath(r, json, 'modelUrl', 'modelUrl'),
    latent: { size, distribution },
    output: {
      height: r.posInt(outputObj, 'height', 'output.height'),
      width: r.posInt(outputObj, 'width', 'output.width'),
      channels: 3,
      range: readRange(r, outputObj),
      layout: r.oneOf(outputObj, 'layout', 'output.layout', OUTPUT_LAYOUTS),
      channelOrder: r.oneOf(outputObj, 'channelOrder', 'output.channelOrder', CHANNEL_ORDERS),
    },
    truncation: { recommended: typeof recommended === 'number' ? recommended : 1 },
    // Imported models arrive with empty provenance for the gallery to fill: valid, but missingProvenance() names
    // what is still empty so check-show and the page can warn.
    provenance: {
      authors: r.pendingStrings(provObj, 'authors', 'provenance.authors'),
      trainingData: r.pendingStr(provObj, 'trainingData', 'provenance.trainingData'),
      dataLicences: readLicences(r, provObj),
      licence: r.pendingStr(provObj, 'licence', 'provenance.licence'),
      consent: r.pendingStr(provObj, 'consent', 'provenance.consent'),
      credits: r.pendingStr(provObj, 'credits', 'provenance.credits'),
    },
    training: isObj(training) ? training : {},
    eval: isObj(evaluation) ? evaluation : {},
  };
  const mean = r.vector(json, 'mean', 'mean', size);
  // w̄ lives in the mapped space, whose size the card does not state.
  const stylegan = readStyleGan(r, json, card.format, size, card.output.height, card.output.width);
  const averageW = r.vector(json, 'averageW', 'averageW', stylegan?.wDim, 'stylegan.wDim');
  const upscale = readUpscale(r, json);
  if (r.errors.length > 0) return { ok: false, errors: r.errors.map((e) => `${source}: ${e}`) };
  return { ok: true, card: { ...card, ...(upscale ? { upscale } : {}), ...(mean ? { mean } : {}), ...(averageW ? { averageW } : {}), ...(stylegan ? { stylegan } : {}) } };
}
