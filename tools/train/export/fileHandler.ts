// tf.io handlers for plain files, since model.save('file://') needs tfjs-node.
// Writes exactly what tf.loadLayersModel('…/model.json') fetches over HTTP in
// a browser: model.json (topology + weightsManifest) and one weights.bin.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';

function concatWeights(data: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((a, p) => a + p.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), off);
    off += p.byteLength;
  }
  return out;
}

export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      fs.mkdirSync(dir, { recursive: true });
      const weights = concatWeights(artifacts.weightData);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      // weights first, then model.json: a reader never sees a manifest whose
      // weights file is from an older export of a different size.
      fs.writeFileSync(path.join(dir, 'weights.bin.tmp'), weights);
      fs.renameSync(path.join(dir, 'weights.bin.tmp'), path.join(dir, 'weights.bin'));
      fs.writeFileSync(path.join(dir, 'model.json.tmp'), JSON.stringify(modelJson));
      fs.renameSync(path.join(dir, 'model.json.tmp'), path.join(dir, 'model.json'));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** A fetch over local files so tests load through tf.io.http, the browser path. */
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

export async function loadLayersModelFromDir(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.http('http://local/model.json', { fetchFunc: fileFetch(dir) }));
}
