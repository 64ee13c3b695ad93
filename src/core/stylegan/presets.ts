import type { GeneratorSpec } from './architecture.ts';
import type { KwargsRecord } from './kwargs.ts';

/**
 * Init kwargs of the official configurations, as the training scripts assemble them (so a built network has the
 * same layer shapes as a released or artist-trained pickle of that config), and tiny ones for tests.
 *
 * StyleGAN2 (stylegan2-ada-pytorch `train.py`, cfg paper256 / paper512 / paper1024 = FFHQ config-f): z and w 512,
 * 8 mapping layers, channel_base 32768 (16384 for paper256's fmaps 0.5), channel_max 512, the four highest
 * resolutions in fp16 with conv_clamp 256, skip generator.
 * StyleGAN3 (stylegan3 `train.py` with the defaults `docs/configs.md` recommends at 256–1024): 2 mapping layers,
 * -T channel_base 32768 / channel_max 512; -R conv_kernel 1, both doubled, radial down filters;
 * magnitude_ema_beta 0.5^(batch/20k) at batch 32.
 */
export type OfficialPresetName =
  | 'stylegan2-256'
  | 'stylegan2-512'
  | 'stylegan2-1024'
  | 'stylegan3-t-256'
  | 'stylegan3-t-512'
  | 'stylegan3-t-1024'
  | 'stylegan3-r-256'
  | 'stylegan3-r-512'
  | 'stylegan3-r-1024';

export const OFFICIAL_PRESETS: readonly OfficialPresetName[] = [
  'stylegan2-256',
  'stylegan2-512',
  'stylegan2-1024',
  'stylegan3-t-256',
  'stylegan3-t-512',
  'stylegan3-t-1024',
  'stylegan3-r-256',
  'stylegan3-r-512',
  'stylegan3-r-1024',
];

export function officialPreset(name: OfficialPresetName): GeneratorSpec {
  const m = /^stylegan(2|3-t|3-r)-(\d+)$/.exec(name);
  if (m === null) throw new Error(`officialPreset: unknown preset '${name}' (known: ${OFFICIAL_PRESETS.join(', ')})`);
  const resolution = Number(m[2]);
  // The published 256 px models of both repositories were trained with --cbase=16384 (StyleGAN3-R doubles it
  // internally, as stylegan3Config does); the 512 and 1024 px ones with the default 32768.
  const channelBase = resolution <= 256 ? 16384 : 32768;
  if (m[1] === '2') return stylegan2AdaConfig({ resolution, channelBase });
  return stylegan3Config({ resolution, rotation: m[1] === '3-r', channelBase });
}

/** stylegan2-ada-pytorch's Generator kwargs (synthesis kwargs in a dict), for any resolution and capacity. */
export function stylegan2AdaConfig(p: {
  resolution: number;
  channelBase?: number;
  channelMax?: number;
  mappingLayers?: number;
  zDim?: number;
  wDim?: number;
  cDim?: number;
  imgChannels?: number;
  architecture?: 'orig' | 'skip' | 'resnet';
  numFp16Res?: number;
  convClamp?: number | null;
}): GeneratorSpec {
  const synthesis: KwargsRecord = {
    channel_base: p.channelBase ?? 32768,
    channel_max: p.channelMax ?? 512,
    num_fp16_res: p.numFp16Res ?? 4,
    conv_clamp: p.convClamp === undefined ? 256 : p.convClamp,
  };
  if (p.architecture !== undefined) synthesis.architecture = p.architecture;
  return {
    moduleName: 'training.networks',
    initKwargs: {
      z_dim: p.zDim ?? 512,
      w_dim: p.wDim ?? 512,
      mapping_kwargs: { num_layers: p.mappingLayers ?? 8 },
      synthesis_kwargs: synthesis,
      c_dim: p.cDim ?? 0,
      img_resolution: p.resolution,
      img_channels: p.imgChannels ?? 3,
    },
  };
}

/** The stylegan3 repository's StyleGAN3 Generator kwargs (-T, or -R with `rotation`). */
export function stylegan3Config(p: {
  resolution: number;
  rotation?: boolean;
  channelBase?: number;
  channelMax?: number;
  mappingLayers?: number;
  zDim?: number;
  wDim?: number;
  cDim?: number;
  imgChannels?: number;
  /** Extra SynthesisNetwork / SynthesisLayer kwargs (num_layers, margin_size, num_fp16_res, conv_clamp…). */
  extra?: KwargsRecord;
}): GeneratorSpec {
  const rotation = p.rotation ?? false;
  const kwargs: KwargsRecord = {
    z_dim: p.zDim ?? 512,
    w_dim: p.wDim ?? 512,
    mapping_kwargs: { num_layers: p.mappingLayers ?? 2 },
    channel_base: (p.channelBase ?? 32768) * (rotation ? 2 : 1),
    channel_max: (p.channelMax ?? 512) * (rotation ? 2 : 1),
    magnitude_ema_beta: Math.pow(0.5, 32 / 20000),
  };
  if (rotation) {
    kwargs.conv_kernel = 1;
    kwargs.use_radial_filters = true;
  }
  Object.assign(kwargs, p.extra ?? {});
  Object.assign(kwargs, { c_dim: p.cDim ?? 0, img_resolution: p.resolution, img_channels: p.imgChannels ?? 3 });
  return { moduleName: 'training.networks_stylegan3', initKwargs: kwargs };
}

/** A StyleGAN2 small enough to run on the CPU reference in well under a second: 16 px, ≤ 16 channels, z/w 8. */
export function tinyStyleGan2(p: { resolution?: number; architecture?: 'orig' | 'skip' | 'resnet'; cDim?: number; convClamp?: number | null } = {}): GeneratorSpec {
  return stylegan2AdaConfig({
    resolution: p.resolution ?? 16,
    channelBase: 128,
    channelMax: 16,
    mappingLayers: 2,
    zDim: 8,
    wDim: 8,
    cDim: p.cDim ?? 0,
    architecture: p.architecture ?? 'skip',
    numFp16Res: 2,
    convClamp: p.convClamp === undefined ? 256 : p.convClamp,
  });
}

/** A StyleGAN3 small enough for the CPU reference: 32 px (two sampling rates, 16 and 32), 6 layers (2 critical), ≤ 16 channels, margin 4. */
export function tinyStyleGan3(p: { resolution?: number; rotation?: boolean; cDim?: number } = {}): GeneratorSpec {
  return stylegan3Config({
    resolution: p.resolution ?? 32,
    rotation: p.rotation ?? false,
    channelBase: 64,
    channelMax: 16,
    mappingLayers: 2,
    zDim: 8,
    wDim: 8,
    cDim: p.cDim ?? 0,
    extra: { num_layers: 6, margin_size: 4 },
  });
}
