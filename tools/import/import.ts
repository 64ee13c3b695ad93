import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { validateModelCard } from '../../src/core/model-card/validate.ts';
import { PickleError, PyDict, unpickle, type PyValue } from '../../src/core/pickle/index.ts';
import { NetworkImportError, networkFromPickle } from '../../src/core/stylegan/from-pickle.ts';
import { NETWORK_FILE_FORMAT, type AttrValue, type StyleGanNetwork } from '../../src/core/stylegan/network.ts';
import { NETWORK_FILE, WEIGHTS_FILE, importedCard } from './card.ts';
import { encodeWeights } from './weights.ts';
import { errorMessage } from '../../src/core/error-message.ts';

export interface ImportOptions {
  /** The .pkl to read. */
  readonly input: string;
  /** Folder name under models/ (default: the file's name, lower-cased, [a-z0-9-_] only). */
  readonly id?: string;
  /** Which network of the pickle's dict: 'G_ema' (default) or 'G'. */
  readonly network?: string;
  /** Store parameters as float16 (half the download; buffers stay float32). */
  readonly float16?: boolean;
  /** Replace an existing models/<id>/. */
  readonly force?: boolean;
  readonly modelsDir: string;
  /** Test seam: runs after every file is written and before the folder is renamed into place. */
  readonly beforeCommit?: () => void;
}

export interface ImportResult {
  readonly dir: string;
  readonly id: string;
  readonly network: StyleGanNetwork;
  readonly lines: readonly string[];
}

/** Why an import did not happen; the message says what the file is and what is supported. */
export class ImportError extends Error {
  override name = 'ImportError';
}

export const LICENCE_NOTE =
  "Licence: a network trained with NVIDIA's stylegan2-ada-pytorch or stylegan3 code may be bound by NVIDIA's Source Code License (non-commercial use only). The card's provenance (authors, trainingData, dataLicences, licence, consent, credits) is left empty: the gallery must fill it, and check-show warns until it does.";

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function defaultId(input: string): string {
  const stem = basename(input).replace(/\.(pkl|pt|pth)$/i, '');
  const id = stem.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return id === '' ? 'imported' : id;
}

/** Reads, converts and checks the pickle, then writes models/<id>/ all at once (temp folder + rename). */
export function importPickle(options: ImportOptions): ImportResult {
  const id = options.id ?? defaultId(options.input);
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(id)) throw new ImportError(`--id "${id}": expected 1–64 letters, digits, '-' or '_' (it names the folder models/${id}/)`);
  const target = join(options.modelsDir, id);
  if (existsSync(target) && !options.force) throw new ImportError(`models/${id}/ already exists; choose another --id or pass --force to replace it`);

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(options.input);
  } catch (e) {
    throw new ImportError(`${options.input}: cannot read (${errorMessage(e)})`);
  }
  const name = basename(options.input);
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ImportError(
      `${name} is a zip archive: a torch.save checkpoint (e.g. rosinality's stylegan2-pytorch .pt), which is not yet supported. Supported: NVIDIA network pickles (.pkl) from stylegan2-ada-pytorch and stylegan3.`,
    );
  }
  let value: PyValue;
  let net: StyleGanNetwork;
  const network = options.network ?? 'G_ema';
  try {
    value = unpickle(bytes);
    net = networkFromPickle(value, { network });
  } catch (e) {
    if (e instanceof PickleError || e instanceof NetworkImportError) throw new ImportError(`${name}: ${e.message}`);
    // Anything else thrown while reading a file from outside is still a refusal of that file, not a crash.
    throw new ImportError(`${name}: unreadable pickle (${errorMessage(e)})`);
  }
  const params = new Set<string>();
  const walk = (m: StyleGanNetwork['root'], prefix: string): void => {
    for (const p of m.params) params.add(prefix + p);
    for (const [k, c] of Object.entries(m.children)) walk(c, `${prefix}${k}.`);
  };
  walk(net.root, '');
  const weights = encodeWeights(net.tensors, { float16: options.float16 ? (n) => params.has(n) : () => false });
  let card;
  try {
    card = importedCard(net, {
      id,
      sourceName: name,
      sourceSha256: createHash('sha256').update(bytes).digest('hex'),
      network,
      float16: options.float16 ?? false,
      trainingSet: trainingSetSummary(value),
    });
  } catch (e) {
    throw new ImportError(`${name}: ${errorMessage(e)}`);
  }
  // Our own card must pass the page's validator; a failure here is an importer bug, caught before anything is written.
  const checked = validateModelCard(JSON.parse(JSON.stringify(card)) as unknown, `models/${id}/card.json`);
  if (!checked.ok) throw new Error(`importer wrote an invalid card: ${checked.errors.join('; ')}`);

  mkdirSync(options.modelsDir, { recursive: true });
  const temp = join(options.modelsDir, `.import-${id}-${process.pid}-${randomBytes(4).toString('hex')}`);
  let old: string | null = null;
  try {
    mkdirSync(temp);
    writeFileSync(join(temp, NETWORK_FILE), `${JSON.stringify({ format: NETWORK_FILE_FORMAT, generation: net.generation, root: net.root })}\n`);
    writeFileSync(join(temp, WEIGHTS_FILE), `${JSON.stringify(weights.manifest, null, 1)}\n`);
    for (const s of weights.shards) writeFileSync(join(temp, s.path), s.bytes);
    writeFileSync(join(temp, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    options.beforeCommit?.();
    if (existsSync(target)) {
      old = `${temp}-old`;
      renameSync(target, old);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    if (old !== null && !existsSync(target)) renameSync(old, target);
    throw e;
  }
  if (old !== null) rmSync(old, { recursive: true, force: true });

  const sg = card.stylegan;
  const lines = [
    `imported ${name} → models/${id}/`,
    `  ${net.generation} '${network}' (${net.root.moduleName}): ${sg?.resolution} px, z ${sg?.zDim}, w ${sg?.wDim}, ${sg?.numWs} ws, ${sg?.mappingLayers} mapping layers, ${sg?.cDim ? `conditional (c_dim ${sg.cDim})` : 'unconditional'}`,
    `  ${net.tensors.size} tensors, ${(weights.totalBytes / 2 ** 20).toFixed(1)} MiB in ${weights.shards.length} shard${weights.shards.length === 1 ? '' : 's'}${options.float16 ? ' (parameters float16)' : ''}`,
    LICENCE_NOTE,
  ];
  return { dir: target, id, network: net, lines };
}

/** training_set_kwargs without file-system paths (they can name a person's machine): only the dataset's shape. */
function trainingSetSummary(value: PyValue): Record<string, AttrValue> | null {
  if (!(value instanceof PyDict)) return null;
  const t = value.get('training_set_kwargs');
  if (!(t instanceof PyDict)) return null;
  const out: Record<string, AttrValue> = {};
  for (const key of ['resolution', 'use_labels', 'max_size', 'xflip', 'random_seed']) {
    const v = t.get(key);
    if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) out[key] = v;
  }
  return out;
}
