import * as tf from '@tensorflow/tfjs';
import { checkCardAgainstModel, type ModelShape } from '../core/model-card/consistency.ts';
import type { ModelCard } from '../core/model-card/types.ts';
import { validateModelCard } from '../core/model-card/validate.ts';
import { loadStyleGanModel, type StyleGanHandle } from './stylegan/loaded-model.ts';
import { errorMessage } from '../core/error-message.ts';

/** `fetch`'s shape; tests pass one that serves a model built in memory through the same path as real folders. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Thrown for a missing, invalid or inconsistent model folder: the message says which file and field. */
export class ModelLoadError extends Error {
  constructor(
    message: string,
    readonly errors: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/** A model folder's URL with exactly one trailing slash, so file names can be appended. */
export function folderUrl(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
}

/** Fetches and validates `<folder>/card.json`. Pure of tfjs: the card can be checked before any backend starts. */
export async function loadModelCard(baseUrl: string, fetchFn: FetchLike = (u, i) => fetch(u, i)): Promise<ModelCard> {
  const url = `${folderUrl(baseUrl)}card.json`;
  let response: Response;
  try {
    response = await fetchFn(url);
  } catch (e) {
    throw new ModelLoadError(`${url}: could not be fetched (${errorMessage(e)})`);
  }
  if (!response.ok) throw new ModelLoadError(`${url}: missing (HTTP ${response.status}); every model folder needs a card.json`);
  let json: unknown;
  try {
    json = await response.json();
  } catch (e) {
    throw new ModelLoadError(`${url}: not valid JSON (${errorMessage(e)})`);
  }
  const result = validateModelCard(json, url);
  if (!result.ok) throw new ModelLoadError(result.errors.join('\n'), result.errors);
  return result.card;
}

/** The model call, whatever the format: latents [n, size] in, the model's raw images out. */
export interface LoadedModel {
  readonly card: ModelCard;
  /** Where card.json came from, for messages. */
  readonly cardUrl: string;
  predict(latents: tf.Tensor2D): tf.Tensor4D;
  dispose(): void;
  /** For StyleGAN formats: the runtime (mapping, synthesis in w) and the settings predict() uses. */
  readonly stylegan?: StyleGanHandle;
}

function shapeOf(s: readonly (number | null)[] | undefined): ModelShape | undefined {
  return s ? [...s] : undefined;
}

/**
 * Loads the weights named by the card on the active tfjs backend and checks them against the card.
 * `onProgress` gets the fraction of weight bytes fetched (tfjs's own onProgress).
 */
export async function loadModel(card: ModelCard, baseUrl: string, options: { fetch?: FetchLike; onProgress?: (fraction: number) => void } = {}): Promise<LoadedModel> {
  const folder = folderUrl(baseUrl);
  const cardUrl = `${folder}card.json`;
  const url = `${folder}${card.modelUrl}`;
  const loadOptions: tf.io.LoadOptions = {
    ...(options.fetch ? { fetchFunc: options.fetch } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  let predict: (z: tf.Tensor2D) => tf.Tensor;
  let dispose: () => void;
  let input: ModelShape | undefined;
  let output: ModelShape | undefined;
  if (card.format === 'stylegan2' || card.format === 'stylegan3') {
    return loadStyleGanModel(card, folder, options.fetch ?? ((u, i) => fetch(u, i)), options.onProgress);
  }
  try {
    if (card.format === 'layers') {
      const m = await tf.loadLayersModel(url, loadOptions);
      input = shapeOf(m.inputs[0]?.shape);
      output = shapeOf(m.outputs[0]?.shape);
      predict = (z) => {
        const y = m.predict(z);
        return Array.isArray(y) ? (y[0] as tf.Tensor) : y;
      };
      dispose = () => m.dispose();
    } else {
      const m = await tf.loadGraphModel(url, loadOptions);
      input = shapeOf(m.inputs[0]?.shape);
      output = shapeOf(m.outputs[0]?.shape);
      predict = (z) => {
        const y = m.predict(z);
        if (y instanceof tf.Tensor) return y;
        const first = Array.isArray(y) ? y[0] : Object.values(y)[0];
        if (!first) throw new Error('the graph model returned no output');
        return first;
      };
      dispose = () => m.dispose();
    }
  } catch (e) {
    throw new ModelLoadError(`${url}: could not load the ${card.format} model named by ${cardUrl} (${errorMessage(e)})`);
  }
  const errors = checkCardAgainstModel(card, input, output, cardUrl);
  if (errors.length > 0) {
    dispose();
    throw new ModelLoadError(errors.join('\n'), errors);
  }
  return {
    card,
    cardUrl,
    predict: (z) => {
      const y = predict(z);
      if (y.rank !== 4) throw new ModelLoadError(`${url}: the model returned shape [${y.shape.join(', ')}], not a batch of images`);
      return y as tf.Tensor4D;
    },
    dispose,
  };
}
