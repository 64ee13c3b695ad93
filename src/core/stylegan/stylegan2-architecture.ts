import { setupFilter } from './filters.ts';
import { TRAINED_LIKE, type InitStyle } from './init-style.ts';
import { Kwargs, type KwargsRecord } from './kwargs.ts';
import { constant, full, jittered, newModule, randn, type ModuleDraft, type TensorDraft } from './module-draft.ts';

/**
 * The StyleGAN2 generator's module tree as NVIDIA's constructors build it, for both copies of the code:
 * - stylegan2-ada-pytorch `training/networks.py` (module 'training.networks');
 * - stylegan3's `training/networks_stylegan2.py` (module 'training.networks_stylegan2'), which differs only in
 *   bookkeeping: extra attributes (in_features/out_features, in_channels/out_channels/w_dim, num_fp16_res,
 *   fused_modconv_default), defaults (w_avg_beta 0.998, SynthesisBlock conv_clamp 256, num_fp16_res 4) and a
 *   Generator that takes synthesis kwargs flat (**synthesis_kwargs) instead of a `synthesis_kwargs` dict.
 * Karras et al. 2020, "Analyzing and Improving the Image Quality of StyleGAN" (configs E/F).
 */
export type StyleGan2ModuleName = 'training.networks' | 'training.networks_stylegan2';

/** bias_act.activation_funcs[...].def_gain: √2 for the ReLU family, 1 for the rest (He init's gain). */
export function activationGain(activation: string): number {
  switch (activation) {
    case 'relu':
    case 'lrelu':
    case 'swish':
      return Math.SQRT2;
    case 'linear':
    case 'tanh':
    case 'sigmoid':
    case 'elu':
    case 'selu':
    case 'softplus':
      return 1;
    default:
      throw new Error(`unknown activation '${activation}' (bias_act knows linear, relu, lrelu, tanh, sigmoid, elu, selu, softplus, swish)`);
  }
}

class Sg2Builder {
  readonly newRepo: boolean;

  constructor(
    readonly moduleName: StyleGan2ModuleName,
    readonly init: InitStyle,
  ) {
    this.newRepo = moduleName === 'training.networks_stylegan2';
  }

  private mod(className: string, kwargs: KwargsRecord): ModuleDraft {
    return newModule(className, this.moduleName, kwargs);
  }

  private filterBuffer(taps: readonly number[]): TensorDraft {
    const f = setupFilter(taps);
    return constant(f.shape, f.values);
  }

  private bias(shape: readonly number[], value: number, lrMultiplier = 1): TensorDraft {
    return this.init === 'pristine' ? full(shape, value) : jittered(shape, value, TRAINED_LIKE.biasSpread / lrMultiplier);
  }

  fullyConnected(inFeatures: number, outFeatures: number, kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('FullyConnectedLayer', kwargs);
    const a = new Kwargs('FullyConnectedLayer', kwargs);
    const bias = a.bool('bias', true);
    const activation = a.str('activation', 'linear');
    const lrMultiplier = a.num('lr_multiplier', 1);
    const biasInit = a.num('bias_init', 0);
    a.done();
    activationGain(activation);
    if (this.newRepo) {
      m.attrs.in_features = inFeatures;
      m.attrs.out_features = outFeatures;
    }
    m.attrs.activation = activation;
    m.params.push(['weight', randn([outFeatures, inFeatures], 1 / lrMultiplier)]);
    if (bias) m.params.push(['bias', this.bias([outFeatures], biasInit / 1, lrMultiplier)]);
    else m.attrs.bias = null;
    m.attrs.weight_gain = lrMultiplier / Math.sqrt(inFeatures);
    m.attrs.bias_gain = lrMultiplier;
    return m;
  }

  conv2dLayer(inChannels: number, outChannels: number, kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('Conv2dLayer', kwargs);
    const a = new Kwargs('Conv2dLayer', kwargs);
    const kernelSize = a.int('kernel_size');
    const bias = a.bool('bias', true);
    const activation = a.str('activation', 'linear');
    const up = a.int('up', 1);
    const down = a.int('down', 1);
    const resampleFilter = a.numList('resample_filter', [1, 3, 3, 1]);
    const convClamp = a.numOrNull('conv_clamp', null);
    a.bool('channels_last', false);
    const trainable = a.bool('trainable', true);
    a.done();
    if (this.newRepo) {
      m.attrs.in_channels = inChannels;
      m.attrs.out_channels = outChannels;
    }
    m.attrs.activation = activation;
    m.attrs.up = up;
    m.attrs.down = down;
    m.attrs.conv_clamp = convClamp;
    m.buffers.push(['resample_filter', this.filterBuffer(resampleFilter)]);
    m.attrs.padding = Math.floor(kernelSize / 2);
    m.attrs.weight_gain = 1 / Math.sqrt(inChannels * kernelSize * kernelSize);
    m.attrs.act_gain = activationGain(activation);
    const weight = randn([outChannels, inChannels, kernelSize, kernelSize]);
    const target = trainable ? m.params : m.buffers;
    target.push(['weight', weight]);
    if (bias) target.push(['bias', full([outChannels], 0)]);
    else m.attrs.bias = null;
    return m;
  }

  mapping(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('MappingNetwork', kwargs);
    const a = new Kwargs('MappingNetwork', kwargs);
    const zDim = a.int('z_dim');
    const cDim = a.int('c_dim');
    const wDim = a.int('w_dim');
    const numWs = a.numOrNull('num_ws', null);
    const numLayers = a.int('num_layers', 8);
    let embedFeatures = a.numOrNull('embed_features', null);
    let layerFeatures = a.numOrNull('layer_features', null);
    const activation = a.str('activation', 'lrelu');
    const lrMultiplier = a.num('lr_multiplier', 0.01);
    const wAvgBeta = a.numOrNull('w_avg_beta', this.newRepo ? 0.998 : 0.995);
    a.done();
    Object.assign(m.attrs, { z_dim: zDim, c_dim: cDim, w_dim: wDim, num_ws: numWs, num_layers: numLayers, w_avg_beta: wAvgBeta });
    if (embedFeatures === null) embedFeatures = wDim;
    if (cDim === 0) embedFeatures = 0;
    if (layerFeatures === null) layerFeatures = wDim;
    const features = [zDim + embedFeatures, ...Array<number>(numLayers - 1).fill(layerFeatures), wDim];
    if (cDim > 0) m.children.push(['embed', this.fullyConnected(cDim, embedFeatures, {})]);
    for (let i = 0; i < numLayers; i++) {
      m.children.push([`fc${i}`, this.fullyConnected(features[i] as number, features[i + 1] as number, { activation, lr_multiplier: lrMultiplier })]);
    }
    if (numWs !== null && wAvgBeta !== null) {
      m.buffers.push(['w_avg', this.init === 'pristine' ? full([wDim], 0) : randn([wDim], TRAINED_LIKE.wAvgSpread)]);
    }
    return m;
  }

  synthesisLayer(inChannels: number, outChannels: number, kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('SynthesisLayer', kwargs);
    const a = new Kwargs('SynthesisLayer', kwargs);
    const wDim = a.int('w_dim');
    const resolution = a.int('resolution');
    const kernelSize = a.int('kernel_size', 3);
    const up = a.int('up', 1);
    const useNoise = a.bool('use_noise', true);
    const activation = a.str('activation', 'lrelu');
    const resampleFilter = a.numList('resample_filter', [1, 3, 3, 1]);
    const convClamp = a.numOrNull('conv_clamp', null);
    a.bool('channels_last', false);
    a.done();
    if (this.newRepo) Object.assign(m.attrs, { in_channels: inChannels, out_channels: outChannels, w_dim: wDim });
    Object.assign(m.attrs, { resolution, up, use_noise: useNoise, activation, conv_clamp: convClamp });
    m.buffers.push(['resample_filter', this.filterBuffer(resampleFilter)]);
    m.attrs.padding = Math.floor(kernelSize / 2);
    m.attrs.act_gain = activationGain(activation);
    m.children.push(['affine', this.fullyConnected(wDim, inChannels, { bias_init: 1 })]);
    m.params.push(['weight', randn([outChannels, inChannels, kernelSize, kernelSize])]);
    if (useNoise) {
      m.buffers.push(['noise_const', randn([resolution, resolution])]);
      m.params.push([
        'noise_strength',
        this.init === 'pristine' ? full([], 0) : jittered([], TRAINED_LIKE.noiseStrengthMean, TRAINED_LIKE.noiseStrengthSpread),
      ]);
    }
    m.params.push(['bias', this.bias([outChannels], 0)]);
    return m;
  }

  toRgb(inChannels: number, outChannels: number, kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('ToRGBLayer', kwargs);
    const a = new Kwargs('ToRGBLayer', kwargs);
    const wDim = a.int('w_dim');
    const kernelSize = a.int('kernel_size', 1);
    const convClamp = a.numOrNull('conv_clamp', null);
    a.bool('channels_last', false);
    a.done();
    if (this.newRepo) Object.assign(m.attrs, { in_channels: inChannels, out_channels: outChannels, w_dim: wDim });
    m.attrs.conv_clamp = convClamp;
    m.children.push(['affine', this.fullyConnected(wDim, inChannels, { bias_init: 1 })]);
    m.params.push(['weight', randn([outChannels, inChannels, kernelSize, kernelSize])]);
    m.params.push(['bias', this.bias([outChannels], 0)]);
    m.attrs.weight_gain = 1 / Math.sqrt(inChannels * kernelSize * kernelSize);
    return m;
  }

  synthesisBlock(inChannels: number, outChannels: number, kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('SynthesisBlock', kwargs);
    const a = new Kwargs('SynthesisBlock', kwargs);
    const wDim = a.int('w_dim');
    const resolution = a.int('resolution');
    const imgChannels = a.int('img_channels');
    const isLast = a.bool('is_last', false);
    const architecture = a.str('architecture', 'skip', ['orig', 'skip', 'resnet']);
    const resampleFilter = a.numList('resample_filter', [1, 3, 3, 1]);
    const convClamp = a.numOrNull('conv_clamp', this.newRepo ? 256 : null);
    const useFp16 = a.bool('use_fp16', false);
    const fp16ChannelsLast = a.bool('fp16_channels_last', false);
    const fusedModconvDefault = this.newRepo ? a.any('fused_modconv_default', true) : undefined;
    const layerKwargs = a.rest();
    const channelsLast = useFp16 && fp16ChannelsLast;
    Object.assign(m.attrs, {
      in_channels: inChannels,
      w_dim: wDim,
      resolution,
      img_channels: imgChannels,
      is_last: isLast,
      architecture,
      use_fp16: useFp16,
      channels_last: channelsLast,
    });
    if (fusedModconvDefault !== undefined) m.attrs.fused_modconv_default = fusedModconvDefault;
    m.buffers.push(['resample_filter', this.filterBuffer(resampleFilter)]);
    let numConv = 0;
    let numTorgb = 0;
    m.attrs.num_conv = 0;
    m.attrs.num_torgb = 0;
    if (inChannels === 0) m.params.push(['const', randn([outChannels, resolution, resolution])]);
    if (inChannels !== 0) {
      m.children.push([
        'conv0',
        this.synthesisLayer(inChannels, outChannels, {
          w_dim: wDim,
          resolution,
          up: 2,
          resample_filter: resampleFilter,
          conv_clamp: convClamp,
          channels_last: channelsLast,
          ...layerKwargs,
        }),
      ]);
      numConv++;
    }
    m.children.push([
      'conv1',
      this.synthesisLayer(outChannels, outChannels, { w_dim: wDim, resolution, conv_clamp: convClamp, channels_last: channelsLast, ...layerKwargs }),
    ]);
    numConv++;
    if (isLast || architecture === 'skip') {
      m.children.push(['torgb', this.toRgb(outChannels, imgChannels, { w_dim: wDim, conv_clamp: convClamp, channels_last: channelsLast })]);
      numTorgb++;
    }
    if (inChannels !== 0 && architecture === 'resnet') {
      m.children.push([
        'skip',
        this.conv2dLayer(inChannels, outChannels, { kernel_size: 1, bias: false, up: 2, resample_filter: resampleFilter, channels_last: channelsLast }),
      ]);
    }
    m.attrs.num_conv = numConv;
    m.attrs.num_torgb = numTorgb;
    return m;
  }

  synthesis(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('SynthesisNetwork', kwargs);
    const a = new Kwargs('SynthesisNetwork', kwargs);
    const wDim = a.int('w_dim');
    const imgResolution = a.int('img_resolution');
    const imgChannels = a.int('img_channels');
    const channelBase = a.int('channel_base', 32768);
    const channelMax = a.int('channel_max', 512);
    const numFp16Res = a.int('num_fp16_res', this.newRepo ? 4 : 0);
    const blockKwargs = a.rest();
    if (!(imgResolution >= 4 && (imgResolution & (imgResolution - 1)) === 0)) {
      throw new Error(`SynthesisNetwork.img_resolution: expected a power of two ≥ 4, got ${imgResolution}`);
    }
    const log2 = Math.round(Math.log2(imgResolution));
    const blockResolutions: number[] = [];
    for (let i = 2; i <= log2; i++) blockResolutions.push(2 ** i);
    const channels = (res: number): number => Math.min(Math.floor(channelBase / res), channelMax);
    const fp16Resolution = Math.max(2 ** (log2 + 1 - numFp16Res), 8);
    Object.assign(m.attrs, { w_dim: wDim, img_resolution: imgResolution, img_resolution_log2: log2, img_channels: imgChannels });
    if (this.newRepo) m.attrs.num_fp16_res = numFp16Res;
    m.attrs.block_resolutions = blockResolutions;
    let numWs = 0;
    for (const res of blockResolutions) {
      const inChannels = res > 4 ? channels(res / 2) : 0;
      const outChannels = channels(res);
      const isLast = res === imgResolution;
      const block = this.synthesisBlock(inChannels, outChannels, {
        w_dim: wDim,
        resolution: res,
        img_channels: imgChannels,
        is_last: isLast,
        use_fp16: res >= fp16Resolution,
        ...blockKwargs,
      });
      numWs += block.attrs.num_conv as number;
      if (isLast) numWs += block.attrs.num_torgb as number;
      m.children.push([`b${res}`, block]);
    }
    m.attrs.num_ws = numWs;
    return m;
  }

  generator(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('Generator', kwargs);
    const a = new Kwargs('Generator', kwargs);
    const zDim = a.int('z_dim');
    const cDim = a.int('c_dim');
    const wDim = a.int('w_dim');
    const imgResolution = a.int('img_resolution');
    const imgChannels = a.int('img_channels');
    const mappingKwargs = a.dict('mapping_kwargs');
    let synthesisKwargs: KwargsRecord;
    if (this.newRepo) synthesisKwargs = a.rest();
    else {
      synthesisKwargs = a.dict('synthesis_kwargs');
      a.done();
    }
    Object.assign(m.attrs, { z_dim: zDim, c_dim: cDim, w_dim: wDim, img_resolution: imgResolution, img_channels: imgChannels });
    const synthesis = this.synthesis({ w_dim: wDim, img_resolution: imgResolution, img_channels: imgChannels, ...synthesisKwargs });
    m.children.push(['synthesis', synthesis]);
    const numWs = synthesis.attrs.num_ws as number;
    m.attrs.num_ws = numWs;
    m.children.push(['mapping', this.mapping({ z_dim: zDim, c_dim: cDim, w_dim: wDim, num_ws: numWs, ...mappingKwargs })]);
    return m;
  }
}

/** The Generator's draft from its init kwargs (what `_init_kwargs` of a pickled G_ema holds). */
export function draftStyleGan2Generator(moduleName: StyleGan2ModuleName, initKwargs: KwargsRecord, init: InitStyle): ModuleDraft {
  return new Sg2Builder(moduleName, init).generator(initKwargs);
}
