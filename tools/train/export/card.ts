// Builds card.json, the runtime's description of a bundled model. Licences are
// taken from each dicebear style's own package metadata, not typed by hand.
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_STYLES, loadStyle } from '../data/styles.ts';

export interface CardEval {
  diversityRatio: number;
  nearestNeighbourRatio: number;
  frechetDistance: number;
  /** tools/eval/cli.ts EvalFigures.fixedPatternRatio; absent in cards measured before it existed. */
  fixedPatternRatio?: number;
  featureNet: string;
  samples: number;
}

export interface ModelCard {
  id: string;
  title: string;
  format: 'layers' | 'graph';
  modelUrl: string;
  latent: { size: number; distribution: 'normal' };
  output: {
    height: number;
    width: number;
    channels: 3;
    range: [number, number];
    layout: 'NHWC';
    channelOrder: 'RGB';
  };
  truncation: { recommended: number };
  /** Whether the learned upscaler may follow the model (src/core/model-card/types.ts); written by hand, kept by exports. */
  upscale?: { allow: boolean };
  provenance: {
    authors: string[];
    trainingData: string;
    dataLicences: { source: string; licence: string; url: string }[];
    licence: string;
    consent: string;
    credits: string;
  };
  training: { steps: number; seconds: number; batch: number; imageCount: number; script: string };
  eval: CardEval;
}

export interface CardInput {
  /** The model folder's name (models/<id>). */
  id: string;
  size: number;
  latent: number;
  steps: number;
  seconds: number;
  batch: number;
  imageCount: number;
  dataDescription: string;
  /** True when trained on the dicebear set (false for --data galleries). */
  dicebear: boolean;
  script: string;
}

export function readCard(dir: string): ModelCard | null {
  const f = path.join(dir, 'card.json');
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as ModelCard) : null;
}

function cardTitle(input: CardInput): string {
  if (!input.dicebear) return `Gallery portraits (${input.id}, ${input.size}×${input.size})`;
  return input.id === 'default' ? 'Sitter Default Portraits' : `Sitter CC0 portraits (${input.id}, ${input.size}×${input.size})`;
}

/**
 * What a gallery writes into the card of a model trained on its own images (a `train:pack --data` pack): its title,
 * authors, licence, consent and credits. A later export (training resumed) keeps them instead of writing the
 * placeholders again.
 */
export function keepGalleryProvenance(card: ModelCard, previous: ModelCard | null): ModelCard {
  if (!previous) return card;
  const p = previous.provenance;
  return {
    ...card,
    title: previous.title,
    provenance: { ...card.provenance, authors: p.authors, licence: p.licence, consent: p.consent, credits: p.credits },
  };
}

export function buildCard(input: CardInput, previousEval: CardEval | null): ModelCard {
  const styles = input.dicebear ? DEFAULT_STYLES.map(loadStyle) : [];
  const dataLicences = styles.map((s) => ({
    source: `@dicebear/collection ${s.name} ("${s.title}") by ${s.creator}, ${s.source}`,
    licence: s.licence,
    url: s.licenceUrl,
  }));
  return {
    id: input.id,
    title: cardTitle(input),
    format: 'layers',
    modelUrl: 'model.json',
    latent: { size: input.latent, distribution: 'normal' },
    output: { height: input.size, width: input.size, channels: 3, range: [-1, 1], layout: 'NHWC', channelOrder: 'RGB' },
    truncation: { recommended: 0.8 },
    provenance: {
      authors: ['Sitter project'],
      trainingData: input.dataDescription,
      dataLicences,
      licence: input.dicebear
        ? 'CC0-1.0: the weights are trained only on CC0 1.0 artwork, so we dedicate them to the public domain as well; no attribution is legally required, and galleries can use the images freely.'
        : 'Set by the gallery that supplied the training images.',
      consent: input.dicebear
        ? 'No photograph, person\'s likeness or artwork was used without licence: every training image is a synthetic avatar rendered from CC0 1.0 dicebear styles at training time.'
        : 'Training images supplied by the gallery with --data; the gallery is responsible for consent and licences.',
      credits: input.dicebear
        ? 'Portraits by a GAN trained by Sitter on CC0 avatars: Lorelei by Lisa Wischofsky, Notionists by Zoish, Open Peeps by Pablo Stanley (via DiceBear).'
        : 'Portraits by a GAN trained by Sitter on the gallery\'s own images.',
    },
    training: {
      steps: input.steps,
      seconds: Math.round(input.seconds),
      batch: input.batch,
      imageCount: input.imageCount,
      script: input.script,
    },
    eval: previousEval ?? {
      diversityRatio: 0,
      nearestNeighbourRatio: 0,
      frechetDistance: 0,
      featureNet: 'not yet evaluated: run npm run eval -- <model dir>',
      samples: 0,
    },
  };
}
