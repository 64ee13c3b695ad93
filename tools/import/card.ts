import type { ModelCard } from '../../src/core/model-card/types.ts';
import type { AttrValue, StyleGanCardSection, StyleGanNetwork } from '../../src/core/stylegan/network.ts';

export const NETWORK_FILE = 'network.json';
export const WEIGHTS_FILE = 'weights.json';

/** Truncation most StyleGAN demos start from (ψ = 0.7): a lerp of w toward w_avg, a calm default a desk can raise. */
const DEFAULT_TRUNCATION = 0.7;

export interface CardInputs {
  readonly id: string;
  readonly sourceName: string;
  readonly sourceSha256: string;
  readonly network: string;
  readonly float16: boolean;
  /** The pickle's training_set_kwargs, already reduced to JSON-safe, path-free fields. */
  readonly trainingSet: Readonly<Record<string, AttrValue>> | null;
}

function int(v: AttrValue | undefined, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`the generator's ${what} is ${JSON.stringify(v)}, expected a whole number`);
  return v;
}

/** The card.json an import writes: what the file says about the network, and empty provenance for the gallery. */
export function importedCard(net: StyleGanNetwork, inputs: CardInputs): ModelCard {
  const root = net.root;
  const zDim = int(root.attrs.z_dim, 'z_dim');
  const wDim = int(root.attrs.w_dim, 'w_dim');
  const cDim = int(root.attrs.c_dim, 'c_dim');
  const numWs = int(root.attrs.num_ws, 'num_ws');
  const resolution = int(root.attrs.img_resolution, 'img_resolution');
  const channels = int(root.attrs.img_channels, 'img_channels');
  if (channels !== 3) throw new Error(`the generator makes ${channels}-channel images; Sitter shows RGB (img_channels 3) only`);
  const mappingLayers = int(root.children.mapping?.attrs.num_layers, 'mapping.num_layers');
  const stylegan: StyleGanCardSection = {
    generation: net.generation,
    zDim,
    wDim,
    cDim,
    numWs,
    resolution,
    mappingLayers,
    network: NETWORK_FILE,
    weights: WEIGHTS_FILE,
  };
  const wAvg = net.tensors.get('mapping.w_avg');
  const kind = net.generation === 'stylegan3' ? 'StyleGAN3' : 'StyleGAN2';
  return {
    id: inputs.id,
    title: `${inputs.id} (${kind} ${resolution} px, imported)`,
    format: net.generation,
    modelUrl: NETWORK_FILE,
    latent: { size: zDim, distribution: 'normal' },
    output: { height: resolution, width: resolution, channels: 3, range: [-1, 1], layout: 'NCHW', channelOrder: 'RGB' },
    truncation: { recommended: DEFAULT_TRUNCATION },
    provenance: { authors: [], trainingData: '', dataLicences: [], licence: '', consent: '', credits: '' },
    training: {
      importedFrom: inputs.sourceName,
      sha256: inputs.sourceSha256,
      network: inputs.network,
      weights: inputs.float16 ? 'parameters float16, buffers float32' : 'float32',
      conditional: cDim > 0,
      ...(inputs.trainingSet ? { trainingSet: inputs.trainingSet } : {}),
    },
    eval: {},
    ...(wAvg ? { averageW: Array.from(wAvg.data) } : {}),
    // The bundled upscaler learned flat-shaded CC0 illustrations; laid over an artist's model it would repaint their
    // work, so an imported model opts out until the gallery says otherwise.
    upscale: { allow: false },
    stylegan,
  };
}
