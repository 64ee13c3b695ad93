import { designLowpassFilter } from './filters.ts';
import { TRAINED_LIKE, type InitStyle } from './init-style.ts';
import { Kwargs, type KwargsRecord } from './kwargs.ts';
import { constant, full, jittered, newModule, randn, type ModuleDraft, type TensorDraft } from './module-draft.ts';
import { stylegan3Schedule } from './stylegan3-schedule.ts';

/**
 * The StyleGAN3 generator's module tree as stylegan3 `training/networks_stylegan3.py` builds it
 * (Karras et al. 2021, "Alias-Free Generative Adversarial Networks"): a Fourier-feature SynthesisInput, then
 * num_layers + 1 SynthesisLayers named `L{idx}_{out_size}_{out_channels}`, the last one the ToRGB layer.
 */
const MODULE = 'training.networks_stylegan3';

class Sg3Builder {
  constructor(readonly init: InitStyle) {}

  private mod(className: string, kwargs: KwargsRecord): ModuleDraft {
    return newModule(className, MODULE, kwargs);
  }

  /** FullyConnectedLayer: weight ~ N(0, (weight_init/lr)²); bias = bias_init / lr (broadcast to out_features). */
  fullyConnected(inFeatures: number, outFeatures: number, kwargs: KwargsRecord, weightSpreadOverride?: number): ModuleDraft {
    const m = this.mod('FullyConnectedLayer', kwargs);
    const a = new Kwargs('FullyConnectedLayer', kwargs);
    const activation = a.str('activation', 'linear');
    const bias = a.bool('bias', true);
    const lrMultiplier = a.num('lr_multiplier', 1);
    const weightInit = a.num('weight_init', 1);
    const biasInitRaw = a.any('bias_init', 0);
    a.done();
    let biasInit: number[];
    if (typeof biasInitRaw === 'number') biasInit = Array<number>(outFeatures).fill(biasInitRaw);
    else if (Array.isArray(biasInitRaw) && biasInitRaw.length === outFeatures && biasInitRaw.every((v) => typeof v === 'number')) {
      biasInit = biasInitRaw as number[];
    } else throw new Error(`FullyConnectedLayer.bias_init: expected a number or ${outFeatures} numbers, got ${JSON.stringify(biasInitRaw)}`);
    Object.assign(m.attrs, { in_features: inFeatures, out_features: outFeatures, activation });
    const weightStd = weightSpreadOverride ?? weightInit / lrMultiplier;
    m.params.push(['weight', weightStd === 0 ? full([outFeatures, inFeatures], 0) : randn([outFeatures, inFeatures], weightStd)]);
    if (bias) {
      const values = biasInit.map((v) => v / lrMultiplier);
      m.params.push(['bias', this.init === 'pristine' ? constant([outFeatures], values) : jitteredValues(values, TRAINED_LIKE.biasSpread / lrMultiplier)]);
    } else m.attrs.bias = null;
    m.attrs.weight_gain = lrMultiplier / Math.sqrt(inFeatures);
    m.attrs.bias_gain = lrMultiplier;
    return m;
  }

  mapping(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('MappingNetwork', kwargs);
    const a = new Kwargs('MappingNetwork', kwargs);
    const zDim = a.int('z_dim');
    const cDim = a.int('c_dim');
    const wDim = a.int('w_dim');
    const numWs = a.int('num_ws');
    const numLayers = a.int('num_layers', 2);
    const lrMultiplier = a.num('lr_multiplier', 0.01);
    const wAvgBeta = a.num('w_avg_beta', 0.998);
    a.done();
    Object.assign(m.attrs, { z_dim: zDim, c_dim: cDim, w_dim: wDim, num_ws: numWs, num_layers: numLayers, w_avg_beta: wAvgBeta });
    // `self.embed = None` for an unconditional model lands in __dict__ as a plain attribute (Module.__setattr__
    // only diverts Modules, Parameters and already-registered names).
    if (cDim > 0) m.children.push(['embed', this.fullyConnected(cDim, wDim, {})]);
    else m.attrs.embed = null;
    const features = [zDim + (cDim > 0 ? wDim : 0), ...Array<number>(numLayers).fill(wDim)];
    for (let i = 0; i < numLayers; i++) {
      m.children.push([`fc${i}`, this.fullyConnected(features[i] as number, features[i + 1] as number, { activation: 'lrelu', lr_multiplier: lrMultiplier })]);
    }
    m.buffers.push(['w_avg', this.init === 'pristine' ? full([wDim], 0) : randn([wDim], TRAINED_LIKE.wAvgSpread)]);
    return m;
  }

  input(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('SynthesisInput', kwargs);
    const a = new Kwargs('SynthesisInput', kwargs);
    const wDim = a.int('w_dim');
    const channels = a.int('channels');
    const size = a.int('size');
    const samplingRate = a.num('sampling_rate');
    const bandwidth = a.num('bandwidth');
    a.done();
    Object.assign(m.attrs, { w_dim: wDim, channels, size: [size, size], sampling_rate: samplingRate, bandwidth });
    // Frequencies drawn uniformly-ish from a disc (the code's recipe: a Gaussian direction, its radius r remapped
    // by dividing by r·exp(r²)^(1/4), scaled to the bandwidth); phases uniform in [−½, ½).
    const freqs: TensorDraft = {
      shape: [channels, 2],
      fill: (out, rng) => {
        for (let c = 0; c < channels; c++) {
          const fx = rng.normal();
          const fy = rng.normal();
          const r = Math.sqrt(fx * fx + fy * fy);
          const d = r * Math.pow(Math.exp(r * r), 0.25);
          out[2 * c] = (fx / d) * bandwidth;
          out[2 * c + 1] = (fy / d) * bandwidth;
        }
      },
    };
    const phases: TensorDraft = {
      shape: [channels],
      fill: (out, rng) => {
        for (let c = 0; c < channels; c++) out[c] = rng.uniform() - 0.5;
      },
    };
    m.params.push(['weight', randn([channels, channels])]);
    m.children.push([
      'affine',
      this.fullyConnected(wDim, 4, { weight_init: 0, bias_init: [1, 0, 0, 0] }, this.init === 'pristine' ? undefined : TRAINED_LIKE.inputAffineWeightSpread),
    ]);
    m.buffers.push(['transform', constant([3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1])]);
    m.buffers.push(['freqs', freqs]);
    m.buffers.push(['phases', phases]);
    return m;
  }

  layer(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('SynthesisLayer', kwargs);
    const a = new Kwargs('SynthesisLayer', kwargs);
    const wDim = a.int('w_dim');
    const isTorgb = a.bool('is_torgb', false);
    const isCriticallySampled = a.bool('is_critically_sampled', false);
    const useFp16 = a.bool('use_fp16', false);
    const inChannels = a.int('in_channels');
    const outChannels = a.int('out_channels');
    const inSize = a.int('in_size');
    const outSize = a.int('out_size');
    const inSamplingRate = a.num('in_sampling_rate');
    const outSamplingRate = a.num('out_sampling_rate');
    const inCutoff = a.num('in_cutoff');
    const outCutoff = a.num('out_cutoff');
    const inHalfWidth = a.num('in_half_width');
    const outHalfWidth = a.num('out_half_width');
    const convKernelArg = a.int('conv_kernel', 3);
    const filterSize = a.int('filter_size', 6);
    const lreluUpsampling = a.int('lrelu_upsampling', 2);
    const useRadialFilters = a.bool('use_radial_filters', false);
    const convClamp = a.numOrNull('conv_clamp', 256);
    const magnitudeEmaBeta = a.num('magnitude_ema_beta', 0.999);
    a.done();
    const tmpSamplingRate = Math.max(inSamplingRate, outSamplingRate) * (isTorgb ? 1 : lreluUpsampling);
    const convKernel = isTorgb ? 1 : convKernelArg;
    Object.assign(m.attrs, {
      w_dim: wDim,
      is_torgb: isTorgb,
      is_critically_sampled: isCriticallySampled,
      use_fp16: useFp16,
      in_channels: inChannels,
      out_channels: outChannels,
      in_size: [inSize, inSize],
      out_size: [outSize, outSize],
      in_sampling_rate: inSamplingRate,
      out_sampling_rate: outSamplingRate,
      tmp_sampling_rate: tmpSamplingRate,
      in_cutoff: inCutoff,
      out_cutoff: outCutoff,
      in_half_width: inHalfWidth,
      out_half_width: outHalfWidth,
      conv_kernel: convKernel,
      conv_clamp: convClamp,
      magnitude_ema_beta: magnitudeEmaBeta,
    });
    m.children.push(['affine', this.fullyConnected(wDim, inChannels, { bias_init: 1 })]);
    m.params.push(['weight', randn([outChannels, inChannels, convKernel, convKernel])]);
    m.params.push(['bias', this.init === 'pristine' ? full([outChannels], 0) : jittered([outChannels], 0, TRAINED_LIKE.biasSpread)]);
    m.buffers.push(['magnitude_ema', this.init === 'pristine' ? full([], 1) : magnitudeEma()]);

    const upFactor = Math.round(tmpSamplingRate / inSamplingRate);
    if (inSamplingRate * upFactor !== tmpSamplingRate) throw new Error(`SynthesisLayer: tmp_sampling_rate ${tmpSamplingRate} is not a multiple of in_sampling_rate ${inSamplingRate}`);
    const upTaps = upFactor > 1 && !isTorgb ? filterSize * upFactor : 1;
    const upFilter = designLowpassFilter(upTaps, inCutoff, inHalfWidth * 2, tmpSamplingRate);
    const downFactor = Math.round(tmpSamplingRate / outSamplingRate);
    if (outSamplingRate * downFactor !== tmpSamplingRate) throw new Error(`SynthesisLayer: tmp_sampling_rate ${tmpSamplingRate} is not a multiple of out_sampling_rate ${outSamplingRate}`);
    const downTaps = downFactor > 1 && !isTorgb ? filterSize * downFactor : 1;
    const downRadial = useRadialFilters && !isCriticallySampled;
    const downFilter = designLowpassFilter(downTaps, outCutoff, outHalfWidth * 2, tmpSamplingRate, downRadial);
    Object.assign(m.attrs, { up_factor: upFactor, up_taps: upTaps });
    if (upFilter !== null) m.buffers.push(['up_filter', constant(upFilter.shape, upFilter.values)]);
    Object.assign(m.attrs, { down_factor: downFactor, down_taps: downTaps, down_radial: downRadial });
    if (downFilter !== null) m.buffers.push(['down_filter', constant(downFilter.shape, downFilter.values)]);

    // Padding of filtered_lrelu (Appendix C.3's symmetric interpretation): the size wanted before downsampling,
    // minus the upsampled input after the conv, plus what the two filters shrink; the low side gets the extra
    // up_factor/2 so sample points sit at pixel centres. Python's // is a floor division.
    const padTotal = (outSize - 1) * downFactor + 1 - (inSize + convKernel - 1) * upFactor + upTaps + downTaps - 2;
    const padLo = Math.floor((padTotal + upFactor) / 2);
    const padHi = padTotal - padLo;
    m.attrs.padding = [padLo, padHi, padLo, padHi];
    return m;
  }

  synthesis(kwargs: KwargsRecord): ModuleDraft {
    const m = this.mod('SynthesisNetwork', kwargs);
    const a = new Kwargs('SynthesisNetwork', kwargs);
    const wDim = a.int('w_dim');
    const imgResolution = a.int('img_resolution');
    const imgChannels = a.int('img_channels');
    const channelBase = a.num('channel_base', 32768);
    const channelMax = a.num('channel_max', 512);
    const numLayers = a.int('num_layers', 14);
    const numCritical = a.int('num_critical', 2);
    const firstCutoff = a.num('first_cutoff', 2);
    const firstStopband = a.num('first_stopband', 2 ** 2.1);
    const lastStopbandRel = a.num('last_stopband_rel', 2 ** 0.3);
    const marginSize = a.int('margin_size', 10);
    const outputScale = a.num('output_scale', 0.25);
    const numFp16Res = a.int('num_fp16_res', 4);
    const layerKwargs = a.rest();
    Object.assign(m.attrs, {
      w_dim: wDim,
      num_ws: numLayers + 2,
      img_resolution: imgResolution,
      img_channels: imgChannels,
      num_layers: numLayers,
      num_critical: numCritical,
      margin_size: marginSize,
      output_scale: outputScale,
      num_fp16_res: numFp16Res,
    });
    const s = stylegan3Schedule({ imgResolution, imgChannels, channelBase, channelMax, numLayers, numCritical, firstCutoff, firstStopband, lastStopbandRel, marginSize });
    m.children.push([
      'input',
      this.input({ w_dim: wDim, channels: s.channels[0] as number, size: s.sizes[0] as number, sampling_rate: s.samplingRates[0] as number, bandwidth: s.cutoffs[0] as number }),
    ]);
    const layerNames: string[] = [];
    m.attrs.layer_names = layerNames;
    for (let idx = 0; idx <= numLayers; idx++) {
      const prev = Math.max(idx - 1, 0);
      const at = (v: readonly number[], i: number): number => v[i] as number;
      const layer = this.layer({
        w_dim: wDim,
        is_torgb: idx === numLayers,
        is_critically_sampled: idx >= numLayers - numCritical,
        use_fp16: at(s.samplingRates, idx) * 2 ** numFp16Res > imgResolution,
        in_channels: at(s.channels, prev),
        out_channels: at(s.channels, idx),
        in_size: at(s.sizes, prev),
        out_size: at(s.sizes, idx),
        in_sampling_rate: at(s.samplingRates, prev),
        out_sampling_rate: at(s.samplingRates, idx),
        in_cutoff: at(s.cutoffs, prev),
        out_cutoff: at(s.cutoffs, idx),
        in_half_width: at(s.halfWidths, prev),
        out_half_width: at(s.halfWidths, idx),
        ...layerKwargs,
      });
      const name = `L${idx}_${at(s.sizes, idx)}_${at(s.channels, idx)}`;
      m.children.push([name, layer]);
      layerNames.push(name);
    }
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
    const synthesisKwargs = a.rest();
    Object.assign(m.attrs, { z_dim: zDim, c_dim: cDim, w_dim: wDim, img_resolution: imgResolution, img_channels: imgChannels });
    const synthesis = this.synthesis({ w_dim: wDim, img_resolution: imgResolution, img_channels: imgChannels, ...synthesisKwargs });
    m.children.push(['synthesis', synthesis]);
    const numWs = synthesis.attrs.num_ws as number;
    m.attrs.num_ws = numWs;
    m.children.push(['mapping', this.mapping({ z_dim: zDim, c_dim: cDim, w_dim: wDim, num_ws: numWs, ...mappingKwargs })]);
    return m;
  }
}

function jitteredValues(values: readonly number[], spread: number): TensorDraft {
  return {
    shape: [values.length],
    fill: (out, rng) => {
      for (let i = 0; i < out.length; i++) out[i] = (values[i] as number) + rng.normal() * spread;
    },
  };
}

function magnitudeEma(): TensorDraft {
  return { shape: [], fill: (out, rng) => (out[0] = Math.pow(2, (rng.uniform() * 2 - 1) * TRAINED_LIKE.magnitudeEmaLog2Range)) };
}

export function draftStyleGan3Generator(initKwargs: KwargsRecord, init: InitStyle): ModuleDraft {
  return new Sg3Builder(init).generator(initKwargs);
}
