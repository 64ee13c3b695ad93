import { errorMessage } from '../../core/error-message.ts';
import { buildGenerator, GENERATOR_MODULE_NAMES, type GeneratorModuleName } from '../../core/stylegan/architecture.ts';
import type { KwargsRecord } from '../../core/stylegan/kwargs.ts';
import { NETWORK_FILE_FORMAT, type AttrValue, type NamedTensor, type NetworkModule, type StyleGanGeneration, type StyleGanNetwork } from '../../core/stylegan/network.ts';
import type { ModelCard } from '../../core/model-card/types.ts';
import { folderUrl, ModelLoadError, type FetchLike } from '../model-loader.ts';
import { decodeGroup, entryBytes, parseManifest } from './weights-manifest.ts';

/**
 * Loads an imported StyleGAN folder (see src/core/stylegan/network.ts): `network.json` (the module tree) and the
 * TF.js weights manifest with its shards, checked against what NVIDIA's constructors make from the root's init
 * kwargs (src/core/stylegan/architecture.ts) — every state_dict name present, no stray ones, every shape equal —
 * and against the card's `stylegan` sizes. Every problem is a ModelLoadError naming the file and the first
 * mismatch; nothing is uploaded to the GPU here.
 */
export async function loadStyleGanNetwork(
  baseUrl: string,
  card: ModelCard,
  fetchFn: FetchLike = (u, i) => fetch(u, i),
  onProgress?: (fraction: number) => void,
): Promise<StyleGanNetwork> {
  const folder = folderUrl(baseUrl);
  const section = card.stylegan;
  if (section === undefined) throw new ModelLoadError(`${folder}card.json: format "${card.format}" needs a "stylegan" section`);
  const networkUrl = `${folder}${section.network}`;
  const weightsUrl = `${folder}${section.weights}`;

  const doc = await fetchJson(networkUrl, fetchFn);
  const { generation, root } = readNetworkDocument(doc, networkUrl);
  if (generation !== section.generation) throw new ModelLoadError(`${networkUrl}: generation "${generation}" but the card says "${section.generation}"`);

  let expected: StyleGanNetwork;
  try {
    expected = buildGenerator({ moduleName: root.moduleName as GeneratorModuleName, initKwargs: root.initKwargs as KwargsRecord }, { init: 'pristine' });
  } catch (e) {
    throw new ModelLoadError(`${networkUrl}: root.initKwargs do not make a generator: ${errorMessage(e)}`);
  }
  if (expected.generation !== generation) throw new ModelLoadError(`${networkUrl}: generation "${generation}" but module ${root.moduleName} is ${expected.generation}`);
  checkCardSizes(card, expected, networkUrl);
  checkTreeNames(root, expected, networkUrl);

  const manifestJson = await fetchJson(weightsUrl, fetchFn);
  let groups;
  try {
    groups = parseManifest(manifestJson, weightsUrl);
  } catch (e) {
    throw new ModelLoadError(errorMessage(e));
  }
  // Entry names and shapes first: a wrong file is refused before its shards are downloaded.
  const listed = new Map<string, readonly number[]>();
  for (const g of groups) for (const e of g.weights) listed.set(e.name, e.shape);
  checkNamesAndShapes(listed, expected, weightsUrl);

  const shardDir = weightsUrl.slice(0, weightsUrl.lastIndexOf('/') + 1);
  const totalBytes = groups.reduce((a, g) => a + g.weights.reduce((b, e) => b + entryBytes(e), 0), 0);
  let fetched = 0;
  onProgress?.(0);
  const tensors = new Map<string, NamedTensor>();
  for (const g of groups) {
    const parts: Uint8Array[] = [];
    for (const p of g.paths) {
      const url = `${shardDir}${p}`;
      const bytes = await fetchBytes(url, fetchFn);
      parts.push(bytes);
      fetched += bytes.byteLength;
      onProgress?.(Math.min(1, totalBytes > 0 ? fetched / totalBytes : 1));
    }
    const all = concat(parts);
    let decoded;
    try {
      decoded = decodeGroup(g, all, weightsUrl);
    } catch (e) {
      throw new ModelLoadError(errorMessage(e));
    }
    for (const [k, v] of decoded) tensors.set(k, v);
  }
  onProgress?.(1);
  // Keep state_dict order (the builder's), whatever order the manifest used.
  const ordered = new Map<string, NamedTensor>();
  for (const name of expected.tensors.keys()) ordered.set(name, tensors.get(name) as NamedTensor);
  return { generation, root, tensors: ordered };
}

async function fetchJson(url: string, fetchFn: FetchLike): Promise<unknown> {
  const response = await get(url, fetchFn);
  try {
    return await response.json();
  } catch (e) {
    throw new ModelLoadError(`${url}: not valid JSON (${errorMessage(e)})`);
  }
}

async function fetchBytes(url: string, fetchFn: FetchLike): Promise<Uint8Array> {
  const response = await get(url, fetchFn);
  return new Uint8Array(await response.arrayBuffer());
}

async function get(url: string, fetchFn: FetchLike): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (e) {
    throw new ModelLoadError(`${url}: could not be fetched (${errorMessage(e)})`);
  }
  if (!response.ok) throw new ModelLoadError(`${url}: missing (HTTP ${response.status})`);
  return response;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ format, generation, root }`, with the tree's shape checked node by node (errors name the path). */
export function readNetworkDocument(doc: unknown, where: string): { generation: StyleGanGeneration; root: NetworkModule } {
  if (!isObj(doc)) throw new ModelLoadError(`${where}: expected a JSON object`);
  if (doc['format'] !== NETWORK_FILE_FORMAT) throw new ModelLoadError(`${where}: format: expected "${NETWORK_FILE_FORMAT}", got ${JSON.stringify(doc['format'])}`);
  const generation = doc['generation'];
  if (generation !== 'stylegan2' && generation !== 'stylegan3') throw new ModelLoadError(`${where}: generation: expected "stylegan2" or "stylegan3", got ${JSON.stringify(generation)}`);
  const root = readModule(doc['root'], `${where}: root`);
  if (root.className !== 'Generator') throw new ModelLoadError(`${where}: root.className: expected "Generator", got ${JSON.stringify(root.className)}`);
  if (!(GENERATOR_MODULE_NAMES as readonly string[]).includes(root.moduleName)) {
    throw new ModelLoadError(`${where}: root.moduleName: expected one of ${GENERATOR_MODULE_NAMES.join(', ')}, got ${JSON.stringify(root.moduleName)}`);
  }
  return { generation, root };
}

function readModule(v: unknown, at: string): NetworkModule {
  if (!isObj(v)) throw new ModelLoadError(`${at}: expected a module object`);
  const { className, moduleName, initKwargs, attrs, params, buffers, children } = v;
  if (typeof className !== 'string') throw new ModelLoadError(`${at}.className: expected a string`);
  if (typeof moduleName !== 'string') throw new ModelLoadError(`${at}.moduleName: expected a string`);
  if (!isObj(initKwargs)) throw new ModelLoadError(`${at}.initKwargs: expected an object`);
  if (!isObj(attrs)) throw new ModelLoadError(`${at}.attrs: expected an object`);
  const names = (x: unknown, field: string): string[] => {
    if (!Array.isArray(x) || !x.every((s) => typeof s === 'string')) throw new ModelLoadError(`${at}.${field}: expected a list of names`);
    return x as string[];
  };
  if (!isObj(children)) throw new ModelLoadError(`${at}.children: expected an object`);
  const kids: Record<string, NetworkModule> = {};
  for (const [k, c] of Object.entries(children)) kids[k] = readModule(c, `${at}.children.${k}`);
  return {
    className,
    moduleName,
    initKwargs: initKwargs as { [key: string]: AttrValue },
    attrs: attrs as { [key: string]: AttrValue },
    params: names(params, 'params'),
    buffers: names(buffers, 'buffers'),
    children: kids,
  };
}

function checkCardSizes(card: ModelCard, net: StyleGanNetwork, where: string): void {
  const s = card.stylegan;
  if (s === undefined) return;
  const a = net.root.attrs;
  const want: Array<[string, number, AttrValue | undefined]> = [
    ['zDim', s.zDim, a['z_dim']],
    ['wDim', s.wDim, a['w_dim']],
    ['cDim', s.cDim, a['c_dim']],
    ['numWs', s.numWs, a['num_ws']],
    ['resolution', s.resolution, a['img_resolution']],
  ];
  for (const [field, card_, net_] of want) {
    if (card_ !== net_) throw new ModelLoadError(`${where}: the network has ${field} ${JSON.stringify(net_)} but card.json's stylegan.${field} is ${card_}`);
  }
  if (a['img_channels'] !== 3) throw new ModelLoadError(`${where}: the network makes ${JSON.stringify(a['img_channels'])}-channel images; the page shows RGB (3)`);
}

function treeNames(m: NetworkModule, prefix: string, out: string[]): string[] {
  for (const p of m.params) out.push(prefix + p);
  for (const b of m.buffers) out.push(prefix + b);
  for (const [k, c] of Object.entries(m.children)) treeNames(c, `${prefix}${k}.`, out);
  return out;
}

function checkTreeNames(root: NetworkModule, expected: StyleGanNetwork, where: string): void {
  const have = new Set(treeNames(root, '', []));
  for (const name of expected.tensors.keys()) {
    if (!have.has(name)) throw new ModelLoadError(`${where}: the module tree lacks ${name}, which ${root.moduleName}.Generator(**init_kwargs) has`);
  }
  for (const name of have) {
    if (!expected.tensors.has(name)) throw new ModelLoadError(`${where}: the module tree has ${name}, which ${root.moduleName}.Generator(**init_kwargs) does not make`);
  }
}

function checkNamesAndShapes(listed: ReadonlyMap<string, readonly number[]>, expected: StyleGanNetwork, where: string): void {
  for (const [name, t] of expected.tensors) {
    const shape = listed.get(name);
    if (shape === undefined) throw new ModelLoadError(`${where}: no weight named ${name} (shape [${t.shape.join(', ')}]) in the manifest`);
    if (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i])) {
      throw new ModelLoadError(`${where}: ${name} has shape [${shape.join(', ')}], expected [${t.shape.join(', ')}] for these init kwargs`);
    }
  }
  for (const name of listed.keys()) {
    if (!expected.tensors.has(name)) throw new ModelLoadError(`${where}: ${name} is not a parameter or buffer of this generator`);
  }
}
