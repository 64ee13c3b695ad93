/**
 * A model folder's `card.json`, validated: what the runtime needs to drive the generator (format, latent size,
 * output layout and range) and what the credits overlay and the gallery owe the public (provenance, licences,
 * consent). The raw JSON never travels further than validateModelCard().
 */
import type { StyleGanCardSection } from '../stylegan/network.ts';

/** TF.js layers/graph models, or a StyleGAN network imported from a .pkl (see src/core/stylegan/network.ts). */
export const MODEL_FORMATS = ['layers', 'graph', 'stylegan2', 'stylegan3'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export const OUTPUT_LAYOUTS = ['NHWC', 'NCHW'] as const;
export type OutputLayout = (typeof OUTPUT_LAYOUTS)[number];

export const CHANNEL_ORDERS = ['RGB', 'BGR'] as const;
export type ChannelOrder = (typeof CHANNEL_ORDERS)[number];

/** The two output ranges GAN exporters use: tanh outputs and already-normalised images. */
export type OutputRange = readonly [-1, 1] | readonly [0, 1];

export interface DataLicence {
  readonly source: string;
  readonly licence: string;
  readonly url: string;
}

export interface ModelCard {
  readonly id: string;
  readonly title: string;
  readonly format: ModelFormat;
  /** Path of model.json relative to the card's folder. */
  readonly modelUrl: string;
  readonly latent: { readonly size: number; readonly distribution: 'normal' };
  readonly output: {
    readonly height: number;
    readonly width: number;
    readonly channels: 3;
    readonly range: OutputRange;
    readonly layout: OutputLayout;
    readonly channelOrder: ChannelOrder;
  };
  readonly truncation: { readonly recommended: number };
  readonly provenance: {
    readonly authors: readonly string[];
    readonly trainingData: string;
    readonly dataLicences: readonly DataLicence[];
    readonly licence: string;
    readonly consent: string;
    readonly credits: string;
  };
  /** Free-form records from the trainer; kept for the README and the gallery, not read by the runtime. */
  readonly training: Readonly<Record<string, unknown>>;
  readonly eval: Readonly<Record<string, unknown>>;
  /** Mean latent (z space) for truncation towards the centre, if the trainer measured one. */
  readonly mean?: readonly number[];
  /** Mean of the mapped latent (StyleGAN's w̄), if the model has a mapping network. */
  readonly averageW?: readonly number[];
  /**
   * Whether the learned upscaler (models/upscale-x4, trained on flat-shaded CC0 illustrations) may follow this
   * model under layout/upscale; absent means it may. A photographic model should say `{ "allow": false }`.
   */
  readonly upscale?: { readonly allow: boolean };
  /** Present exactly when `format` is 'stylegan2' or 'stylegan3': the imported network's sizes and files. */
  readonly stylegan?: StyleGanCardSection;
}

export type CardResult = { readonly ok: true; readonly card: ModelCard } | { readonly ok: false; readonly errors: readonly string[] };
