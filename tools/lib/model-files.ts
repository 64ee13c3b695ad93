/**
 * tfjs layers models as files in a folder (model.json + weights.bin), the layout of models/<id>/. tfjs's own
 * file:// handler lives in tfjs-node, which Sitter cannot install, so saving goes through a handler written here and
 * loading through tf.io.http over a fetch that reads the folder: the very path the browser takes.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A fetch over local files, so Node loads a model through tf.io.http exactly as the kiosk page does. */
export function fileFetch(root: string): (input: RequestInfo | URL) => Promise<Response> {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const rel = decodeURIComponent(new URL(url, 'http://local/').pathname).replace(/^\/+/, '');
    const file = path.join(root, rel);
    if (!fs.existsSync(file)) return new Response('not found', { status: 404 });
    const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    return new Response(fs.readFileSync(file), { status: 200, headers: { 'content-type': type } });
  };
}

/** Loads <dir>/model.json and the weight files it names. */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const file = path.join(dir, 'model.json');
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file; is ${dir} a model folder?`);
  return tf.loadLayersModel(tf.io.http('http://local/model.json', { fetchFunc: fileFetch(dir) }));
}

/**
 * Writes <dir>/model.json and one <dir>/weights.bin. Weights first, then model.json, each through a rename: a
 * reader (the kiosk, mid-export) never sees a manifest whose weights file is from an older export of another size.
 */
export async function saveLayersModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      writeAtomically(path.join(dir, 'weights.bin'), new Uint8Array(weights));
      writeAtomically(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  fs.writeFileSync(`${file}.tmp`, data);
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * SHA-256 of a model's weights: the files its manifest names, in order. Files derived from the weights
 * (directions.json) record it, so a retrained model's stale leftovers are caught.
 */
export function weightsDigest(dir: string, manifestFile = 'model.json'): string {
  // model.json (a layers model) holds the manifest in weightsManifest; an imported StyleGAN's weights.json is one.
  const json = JSON.parse(fs.readFileSync(path.join(dir, manifestFile), 'utf8')) as { weightsManifest?: { paths?: string[] }[] } | { paths?: string[] }[];
  const groups = Array.isArray(json) ? json : (json.weightsManifest ?? []);
  const hash = createHash('sha256');
  for (const group of groups) for (const p of group.paths ?? []) hash.update(fs.readFileSync(path.join(dir, p)));
  return hash.digest('hex');
}
