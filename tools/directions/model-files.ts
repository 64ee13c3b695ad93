/**
 * tfjs layers models as files in a folder (model.json + its weight shards), read and written with node:fs: tfjs's
 * own file:// handler lives in tfjs-node, which Sitter does not install, so load goes through tf.io.fromMemory.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

interface ManifestGroup {
  readonly paths: readonly string[];
  readonly weights: tf.io.WeightsManifestEntry[];
}

function manifest(json: Record<string, unknown>, file: string): ManifestGroup[] {
  const m = json.weightsManifest;
  if (!Array.isArray(m)) throw new Error(`${file}: weightsManifest: expected an array, got ${typeof m}`);
  return m.map((g: unknown, i) => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights) || !g.paths.every((p) => typeof p === 'string')) {
      throw new Error(`${file}: weightsManifest[${i}]: expected { paths: string[], weights: [...] }`);
    }
    return { paths: g.paths as string[], weights: g.weights as tf.io.WeightsManifestEntry[] };
  });
}

/** Loads <dir>/model.json and the shards it names. */
export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  const file = join(dir, 'model.json');
  const text = await readFile(file, 'utf8').catch((e: unknown) => {
    throw new Error(`${file}: cannot read the model (${e instanceof Error ? e.message : String(e)}); is ${dir} a model folder?`);
  });
  const json: unknown = JSON.parse(text);
  if (!isRecord(json) || !isRecord(json.modelTopology)) throw new Error(`${file}: expected a tfjs layers model (modelTopology missing)`);
  const groups = manifest(json, file);
  const weightSpecs = groups.flatMap((g) => g.weights);
  const shards: ArrayBuffer[] = [];
  for (const g of groups) {
    for (const p of g.paths) {
      const buf = await readFile(join(dir, p));
      shards.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    }
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData: tf.io.CompositeArrayBuffer.join(shards),
    format: typeof json.format === 'string' ? json.format : 'layers-model',
  };
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Saves as <dir>/model.json + <dir>/weights.bin (one shard), the layout models/<id>/ uses. */
export async function saveLayersModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}
