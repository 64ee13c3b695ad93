/**
 * The upscaler's network manifest (`upscaler.json`, written by tools/upscale/export.py): the conv plan the page
 * rebuilds with tf ops and the tfjs weights manifest of weights.bin. Pure: checked before any tensor is made.
 */
export interface UpscalerConv {
  readonly name: string;
  readonly kernel: number;
  readonly in: number;
  readonly out: number;
  readonly activation: 'relu' | 'linear';
}

export interface UpscalerWeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32';
}

export interface UpscalerManifest {
  readonly format: 'sitter-upscaler';
  readonly version: 1;
  readonly factor: 4;
  /** Added to the [0, 1] input before the first conv. */
  readonly inputOffset: number;
  /** The residual is added to bilinear upsampling (half-pixel centres, as PyTorch's align_corners=False). */
  readonly skip: 'bilinear';
  readonly convs: readonly UpscalerConv[];
  readonly weightsManifest: readonly [{ readonly paths: readonly [string]; readonly weights: readonly UpscalerWeightSpec[] }];
}

type Obj = Readonly<Record<string, unknown>>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Validates a parsed upscaler.json; throws one Error listing every problem, each naming its field. */
export function parseUpscalerManifest(json: unknown, source = 'upscaler.json'): UpscalerManifest {
  const errors: string[] = [];
  const fail = (path: string, expected: string, got: unknown): void => {
    errors.push(`${source}: ${path}: expected ${expected}, got ${JSON.stringify(got) ?? 'nothing'}`);
  };
  if (!isObj(json)) throw new Error(`${source}: expected a JSON object, got ${JSON.stringify(json)}`);
  if (json['format'] !== 'sitter-upscaler') fail('format', '"sitter-upscaler"', json['format']);
  if (json['version'] !== 1) fail('version', '1', json['version']);
  if (json['factor'] !== 4) fail('factor', '4', json['factor']);
  if (json['skip'] !== 'bilinear') fail('skip', '"bilinear"', json['skip']);
  const offset = json['inputOffset'];
  if (typeof offset !== 'number' || !Number.isFinite(offset)) fail('inputOffset', 'a finite number', offset);
  const convs: UpscalerConv[] = [];
  const rawConvs = json['convs'];
  if (!Array.isArray(rawConvs) || rawConvs.length === 0) fail('convs', 'a non-empty list', rawConvs);
  else {
    let channels = 3;
    rawConvs.forEach((c: unknown, i) => {
      const path = `convs[${i}]`;
      const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 1024;
      if (!isObj(c) || typeof c['name'] !== 'string' || !int(c['kernel']) || c['kernel'] % 2 !== 1 || !int(c['in']) || !int(c['out'])) {
        fail(path, '{name, kernel (odd), in, out, activation}', c);
        return;
      }
      const last = i === rawConvs.length - 1;
      const activation = c['activation'];
      if (activation !== (last ? 'linear' : 'relu')) fail(`${path}.activation`, last ? '"linear" (the last conv)' : '"relu"', activation);
      if (c['in'] !== channels) fail(`${path}.in`, `${channels} (the previous conv's out)`, c['in']);
      channels = c['out'];
      convs.push({ name: c['name'], kernel: c['kernel'], in: c['in'], out: c['out'], activation: last ? 'linear' : 'relu' });
    });
    if (convs.length === rawConvs.length && channels !== 3 * 16) fail(`convs[${convs.length - 1}].out`, '48 (3 colours × 4² sub-pixels)', channels);
  }
  const wm = json['weightsManifest'];
  const group: unknown = Array.isArray(wm) && wm.length === 1 ? wm[0] : undefined;
  let paths: [string] = ['weights.bin'];
  const weights: UpscalerWeightSpec[] = [];
  if (!isObj(group) || !Array.isArray(group['paths']) || group['paths'].length !== 1 || typeof group['paths'][0] !== 'string' || !Array.isArray(group['weights'])) {
    fail('weightsManifest', 'one group {paths: [one file], weights: [...]}', wm);
  } else {
    const file = group['paths'][0];
    if (/^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('/') || file.split('/').includes('..')) fail('weightsManifest[0].paths[0]', 'a file inside the folder', file);
    paths = [file];
    const specs = group['weights'] as unknown[];
    const expected = convs.flatMap((c) => [
      { name: `${c.name}/kernel`, shape: [c.kernel, c.kernel, c.in, c.out] },
      { name: `${c.name}/bias`, shape: [c.out] },
    ]);
    if (specs.length !== expected.length) fail('weightsManifest[0].weights', `${expected.length} entries (kernel and bias per conv)`, `${specs.length} entries`);
    expected.forEach((e, i) => {
      const s = specs[i];
      if (!isObj(s) || s['name'] !== e.name || s['dtype'] !== 'float32' || JSON.stringify(s['shape']) !== JSON.stringify(e.shape)) {
        fail(`weightsManifest[0].weights[${i}]`, `{name: "${e.name}", shape: [${e.shape.join(', ')}], dtype: "float32"}`, s);
      } else weights.push({ name: e.name, shape: e.shape, dtype: 'float32' });
    });
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return { format: 'sitter-upscaler', version: 1, factor: 4, inputOffset: offset as number, skip: 'bilinear', convs, weightsManifest: [{ paths, weights }] };
}
