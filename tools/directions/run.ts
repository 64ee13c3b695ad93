/**
 * The directions tool's work, apart from argument parsing: load the model in a folder, find GANSpace directions,
 * write <dir>/directions.json and a contact sheet per direction in <dir>/directions/.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { directionsToJson, parseDirections } from '../../src/core/latent/directions.ts';
import { encodePng } from '../lib/png.ts';
import { renderContactSheet } from './contact-sheet.ts';
import { findDirections, latentSizeOf } from './ganspace.ts';
import { loadLayersModelFromDir, weightsDigest } from '../lib/model-files.ts';
import { startWasmBackend } from '../lib/tfjs-wasm.ts';
import { findWDirections, isStyleGanCard, loadStyleGanFolder, renderWContactSheets, W_LAYER } from './stylegan.ts';

export interface DirectionsRun {
  readonly modelDir: string;
  readonly samples: number;
  readonly components: number;
  readonly layer?: string;
  readonly seed: number;
  /** Seeds (rows) per contact sheet. */
  readonly rows: number;
  /** ψ of the contact sheets' base portraits; the card's recommended truncation (else 0.8) when absent. */
  readonly truncation?: number;
  readonly log?: (line: string) => void;
}

export interface DirectionsOutput {
  readonly directionsFile: string;
  readonly sheets: readonly string[];
  readonly layer: string;
  readonly backend: string;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

interface CardFacts {
  readonly id: string;
  readonly range: [number, number];
  readonly truncation: number | undefined;
}

/** Id, output range and recommended ψ from card.json when it has them (the card's schema belongs to the trainer). */
async function readCard(dir: string): Promise<CardFacts> {
  const fallback: CardFacts = { id: basename(resolve(dir)), range: [-1, 1], truncation: undefined };
  let card: unknown;
  try {
    card = JSON.parse(await readFile(join(dir, 'card.json'), 'utf8'));
  } catch {
    return fallback;
  }
  if (!isRecord(card)) return fallback;
  const id = typeof card.id === 'string' ? card.id : fallback.id;
  const psi = isRecord(card.truncation) && typeof card.truncation.recommended === 'number' ? card.truncation.recommended : undefined;
  const candidates: unknown[] = [card.outputRange, isRecord(card.output) ? card.output.range : undefined];
  for (const r of candidates) {
    if (Array.isArray(r) && r.length === 2 && typeof r[0] === 'number' && typeof r[1] === 'number' && r[1] > r[0]) {
      return { id, range: [r[0], r[1]], truncation: psi };
    }
  }
  return { ...fallback, id, truncation: psi };
}

export async function runDirections(o: DirectionsRun): Promise<DirectionsOutput> {
  const log = o.log ?? (() => undefined);
  const backend = await startWasmBackend({ cpuFallback: true });
  if (await isStyleGanFolder(o.modelDir)) return runStyleGanDirections(o, backend, log);
  const model = await loadLayersModelFromDir(o.modelDir);
  const card = await readCard(o.modelDir);
  const size = latentSizeOf(model);
  log(`model ${card.id}: latent ${size}, backend ${backend}`);
  const found = await findDirections(model, {
    samples: o.samples,
    components: o.components,
    seed: o.seed,
    model: card.id,
    ...(o.layer !== undefined ? { layer: o.layer } : {}),
  });
  log(`layer ${found.layer} (${found.activationSize} values), ${o.samples} samples, PCA in ${found.pcaIterations} iterations`);
  const json = directionsToJson({ ...found.set, provenance: { ...found.set.provenance, weightsSha256: weightsDigest(o.modelDir) } });
  // Written only if it reads back: the kiosk must never meet a file this tool made and its validator refuses.
  const check = parseDirections(JSON.parse(JSON.stringify(json)), size);
  if (!check.ok) throw new Error(`directions.json would be invalid:\n${check.errors.join('\n')}`);
  const directionsFile = join(o.modelDir, 'directions.json');
  await writeFile(directionsFile, `${JSON.stringify(json, null, 1)}\n`);
  const sheetDir = join(o.modelDir, 'directions');
  await mkdir(sheetDir, { recursive: true });
  const truncation = o.truncation ?? card.truncation ?? 0.8;
  const seeds = Array.from({ length: o.rows }, (_, i) => o.seed + 7919 * (i + 1));
  const sheets: string[] = [];
  for (const [i, d] of found.set.directions.entries()) {
    const image = await renderContactSheet(model, size, d, { seeds, truncation, outputRange: card.range });
    const file = join(sheetDir, `${String(i).padStart(2, '0')}-${d.name}.png`);
    await writeFile(file, encodePng(image));
    sheets.push(file);
    log(`${d.name}: σ ${d.sigma.toFixed(3)}, ${((d.explainedVariance ?? 0) * 100).toFixed(1)}% → ${file}`);
  }
  model.dispose();
  return { directionsFile, sheets, layer: found.layer, backend };
}

async function isStyleGanFolder(dir: string): Promise<boolean> {
  try {
    return isStyleGanCard(JSON.parse(await readFile(join(dir, 'card.json'), 'utf8')));
  } catch {
    return false;
  }
}

/** An imported StyleGAN: GANSpace in w (stylegan.ts), directions.json with space "w" and the weights' digest. */
async function runStyleGanDirections(o: DirectionsRun, backend: string, log: (line: string) => void): Promise<DirectionsOutput> {
  if (o.layer !== undefined && o.layer !== W_LAYER) throw new Error(`--layer: a StyleGAN's directions are found in w; --layer does not apply`);
  const model = await loadStyleGanFolder(o.modelDir);
  const { card, mapping } = model;
  log(`model ${card.id}: ${card.format}, z ${mapping.zDim} → w ${mapping.wDim}, backend ${backend}`);
  const found = findWDirections(mapping, { samples: o.samples, components: o.components, seed: o.seed, model: card.id });
  log(`w of ${o.samples} samples, PCA in ${found.pcaIterations} iterations`);
  const manifest = card.stylegan?.weights ?? 'weights.json';
  const json = directionsToJson({ ...found.set, provenance: { ...found.set.provenance, weightsSha256: weightsDigest(o.modelDir, manifest) } });
  const check = parseDirections(JSON.parse(JSON.stringify(json)), mapping.wDim);
  if (!check.ok) throw new Error(`directions.json would be invalid:\n${check.errors.join('\n')}`);
  const directionsFile = join(o.modelDir, 'directions.json');
  await writeFile(directionsFile, `${JSON.stringify(json, null, 1)}\n`);
  const sheetDir = join(o.modelDir, 'directions');
  await mkdir(sheetDir, { recursive: true });
  const truncation = o.truncation ?? card.truncation.recommended;
  const seeds = Array.from({ length: o.rows }, (_, i) => o.seed + 7919 * (i + 1));
  const images = await renderWContactSheets(model, found.set.directions, seeds, truncation);
  const sheets: string[] = [];
  for (const [i, d] of found.set.directions.entries()) {
    const file = join(sheetDir, `${String(i).padStart(2, '0')}-${d.name}.png`);
    await writeFile(file, encodePng(images[i] as NonNullable<(typeof images)[number]>));
    sheets.push(file);
    log(`${d.name}: σ ${d.sigma.toFixed(3)}, ${((d.explainedVariance ?? 0) * 100).toFixed(1)}% → ${file}`);
  }
  return { directionsFile, sheets, layer: W_LAYER, backend };
}
