import { describe, expect, it } from 'vitest';
import { buildGenerator, countParameters, moduleAt } from '../../../src/core/stylegan/architecture.ts';
import { officialPreset, stylegan2AdaConfig, stylegan3Config, tinyStyleGan2, tinyStyleGan3 } from '../../../src/core/stylegan/presets.ts';
import type { StyleGanNetwork } from '../../../src/core/stylegan/network.ts';

function shape(net: StyleGanNetwork, name: string): readonly number[] {
  const t = net.tensors.get(name);
  if (t === undefined) throw new Error(`no tensor ${name}`);
  return t.shape;
}

const sum = (a: ArrayLike<number>): number => Array.from(a).reduce((x, y) => x + y, 0);

describe('StyleGAN2 module tree (stylegan2-ada-pytorch training.networks)', () => {
  const net = buildGenerator(officialPreset('stylegan2-1024'), { seed: 3 });

  it('has the published parameter count of FFHQ config-f (30,370,060, "30.0M" in the paper)', () => {
    expect(countParameters(net)).toBe(30_370_060);
    // 8 mapping layers of 512×512 weights + 512 biases, by hand.
    expect(countParameters(net, 'mapping.')).toBe(8 * (512 * 512 + 512));
    expect(net.root.attrs.num_ws).toBe(18);
  });

  it('names and shapes every tensor as the state_dict does, synthesis before mapping', () => {
    const names = [...net.tensors.keys()];
    expect(names.slice(0, 8)).toEqual([
      'synthesis.b4.const',
      'synthesis.b4.resample_filter',
      'synthesis.b4.conv1.weight',
      'synthesis.b4.conv1.noise_strength',
      'synthesis.b4.conv1.bias',
      'synthesis.b4.conv1.resample_filter',
      'synthesis.b4.conv1.noise_const',
      'synthesis.b4.conv1.affine.weight',
    ]);
    expect(names[names.length - 1]).toBe('mapping.fc7.bias');
    expect(names.indexOf('mapping.w_avg')).toBeLessThan(names.indexOf('mapping.fc0.weight'));
    expect(shape(net, 'synthesis.b4.const')).toEqual([512, 4, 4]);
    expect(shape(net, 'synthesis.b1024.conv0.weight')).toEqual([32, 64, 3, 3]);
    expect(shape(net, 'synthesis.b1024.conv0.affine.weight')).toEqual([64, 512]);
    expect(shape(net, 'synthesis.b1024.conv1.noise_const')).toEqual([1024, 1024]);
    expect(shape(net, 'synthesis.b1024.conv1.noise_strength')).toEqual([]);
    expect(shape(net, 'synthesis.b1024.torgb.weight')).toEqual([3, 32, 1, 1]);
    expect(shape(net, 'synthesis.b64.conv1.weight')).toEqual([512, 512, 3, 3]);
    expect(shape(net, 'synthesis.b128.conv1.weight')).toEqual([256, 256, 3, 3]);
    expect(shape(net, 'mapping.w_avg')).toEqual([512]);
  });

  it('records the init kwargs and attributes each __init__ sets', () => {
    expect(net.root.className).toBe('Generator');
    expect(net.root.moduleName).toBe('training.networks');
    expect(Object.keys(net.root.children)).toEqual(['synthesis', 'mapping']);
    expect(net.root.initKwargs.synthesis_kwargs).toEqual({ channel_base: 32768, channel_max: 512, num_fp16_res: 4, conv_clamp: 256 });
    const b8 = moduleAt(net, 'synthesis.b8');
    expect(b8.initKwargs).toEqual({ w_dim: 512, resolution: 8, img_channels: 3, is_last: false, use_fp16: false, conv_clamp: 256 });
    expect(b8.attrs).toEqual({
      in_channels: 512, w_dim: 512, resolution: 8, img_channels: 3, is_last: false, architecture: 'skip',
      use_fp16: false, channels_last: false, num_conv: 2, num_torgb: 1,
    });
    expect(Object.keys(b8.children)).toEqual(['conv0', 'conv1', 'torgb']);
    // num_fp16_res 4 → fp16 from 2^(10+1−4) = 128 px up.
    expect(moduleAt(net, 'synthesis.b64').attrs.use_fp16).toBe(false);
    expect(moduleAt(net, 'synthesis.b128').attrs.use_fp16).toBe(true);
    const conv0 = moduleAt(net, 'synthesis.b8.conv0');
    expect(conv0.initKwargs).toEqual({ w_dim: 512, resolution: 8, up: 2, resample_filter: [1, 3, 3, 1], conv_clamp: 256, channels_last: false });
    expect(conv0.attrs).toEqual({ resolution: 8, up: 2, use_noise: true, activation: 'lrelu', conv_clamp: 256, padding: 1, act_gain: Math.SQRT2 });
    expect(conv0.params).toEqual(['weight', 'noise_strength', 'bias']);
    expect(conv0.buffers).toEqual(['resample_filter', 'noise_const']);
    const fc = moduleAt(net, 'mapping.fc0');
    expect(fc.initKwargs).toEqual({ activation: 'lrelu', lr_multiplier: 0.01 });
    expect(fc.attrs).toEqual({ activation: 'lrelu', weight_gain: 0.01 / Math.sqrt(512), bias_gain: 0.01 });
    expect(moduleAt(net, 'synthesis.b8.torgb').attrs).toEqual({ conv_clamp: 256, weight_gain: 1 / Math.sqrt(512) });
    expect(moduleAt(net, 'mapping').attrs).toEqual({ z_dim: 512, c_dim: 0, w_dim: 512, num_ws: 18, num_layers: 8, w_avg_beta: 0.995 });
  });

  it('stores resample_filter as setup_filter([1,3,3,1]) makes it: the 4×4 outer product over 64', () => {
    const f = net.tensors.get('synthesis.b16.conv0.resample_filter');
    expect(f?.shape).toEqual([4, 4]);
    const taps = [1, 3, 3, 1];
    const expected = taps.flatMap((a) => taps.map((b) => (a * b) / 64));
    expect(Array.from(f?.data ?? [])).toEqual(expected.map(Math.fround));
  });

  it('draws weights at the reference scales: randn, and randn / lr_multiplier for the mapping', () => {
    const std = (name: string): number => {
      const d = net.tensors.get(name)?.data ?? new Float32Array();
      const m = sum(d) / d.length;
      return Math.sqrt(sum(Array.from(d, (v) => (v - m) ** 2)) / d.length);
    };
    expect(std('synthesis.b64.conv1.weight')).toBeCloseTo(1, 1);
    expect(std('mapping.fc3.weight')).toBeCloseTo(100, -1);
    // Affine biases around bias_init = 1.
    const ab = net.tensors.get('synthesis.b8.conv1.affine.bias')?.data ?? new Float32Array();
    expect(sum(ab) / ab.length).toBeCloseTo(1, 1);
  });

  it('is reproducible from its seed, and each tensor keeps its values when other layers change', () => {
    const a = buildGenerator(tinyStyleGan2(), { seed: 5 });
    const b = buildGenerator(tinyStyleGan2(), { seed: 5 });
    const c = buildGenerator(tinyStyleGan2(), { seed: 6 });
    const d = buildGenerator(tinyStyleGan2({ architecture: 'resnet' }), { seed: 5 });
    const w = 'synthesis.b8.conv1.weight';
    expect(b.tensors.get(w)?.data).toEqual(a.tensors.get(w)?.data);
    expect(c.tensors.get(w)?.data).not.toEqual(a.tensors.get(w)?.data);
    expect(d.tensors.get(w)?.data).toEqual(a.tensors.get(w)?.data);
  });

  it("'pristine' init is exactly the code's: zero noise strength, zero w_avg, biases at bias_init", () => {
    const p = buildGenerator(tinyStyleGan2(), { init: 'pristine' });
    expect(Array.from(p.tensors.get('synthesis.b8.conv1.noise_strength')?.data ?? [])).toEqual([0]);
    expect(Array.from(p.tensors.get('mapping.w_avg')?.data ?? []).every((v) => v === 0)).toBe(true);
    expect(Array.from(p.tensors.get('synthesis.b8.conv1.affine.bias')?.data ?? []).every((v) => v === 1)).toBe(true);
    const t = buildGenerator(tinyStyleGan2());
    expect(t.tensors.get('synthesis.b8.conv1.noise_strength')?.data[0]).not.toBe(0);
  });

  it('builds the resnet and orig architectures with their skip layers and ToRGB placement', () => {
    const res = buildGenerator(tinyStyleGan2({ architecture: 'resnet' }));
    expect(Object.keys(moduleAt(res, 'synthesis.b8').children)).toEqual(['conv0', 'conv1', 'skip']);
    expect(Object.keys(moduleAt(res, 'synthesis.b16').children)).toEqual(['conv0', 'conv1', 'torgb', 'skip']);
    const skip = moduleAt(res, 'synthesis.b8.skip');
    expect(skip.className).toBe('Conv2dLayer');
    expect(skip.params).toEqual(['weight']);
    expect(skip.attrs).toEqual({ activation: 'linear', up: 2, down: 1, conv_clamp: null, padding: 0, weight_gain: 1 / 4, act_gain: 1, bias: null });
    expect(shape(res, 'synthesis.b8.skip.weight')).toEqual([16, 16, 1, 1]);
    // Without ToRGBs below the top, the orig/resnet generators take one w fewer per block: 1 + 2·2 + 1.
    expect(res.root.attrs.num_ws).toBe(6);
    const orig = buildGenerator(tinyStyleGan2({ architecture: 'orig' }));
    expect(Object.keys(moduleAt(orig, 'synthesis.b4').children)).toEqual(['conv1']);
    expect(Object.keys(moduleAt(orig, 'synthesis.b16').children)).toEqual(['conv0', 'conv1', 'torgb']);
  });

  it('adds the label embedding of a conditional model and widens fc0', () => {
    const net2 = buildGenerator(stylegan2AdaConfig({ resolution: 16, channelBase: 256, channelMax: 32, zDim: 16, wDim: 32, cDim: 10, mappingLayers: 2 }));
    expect(shape(net2, 'mapping.embed.weight')).toEqual([32, 10]);
    expect(shape(net2, 'mapping.fc0.weight')).toEqual([32, 48]);
    expect(Object.keys(moduleAt(net2, 'mapping').children)).toEqual(['embed', 'fc0', 'fc1']);
  });

  it("follows the stylegan3 repo's copy (training.networks_stylegan2): flat synthesis kwargs, extra attributes", () => {
    const n = buildGenerator({
      moduleName: 'training.networks_stylegan2',
      initKwargs: { z_dim: 8, w_dim: 8, mapping_kwargs: { num_layers: 2 }, channel_base: 128, channel_max: 16, fused_modconv_default: 'inference_only', c_dim: 0, img_resolution: 8, img_channels: 3 },
    });
    expect(moduleAt(n, 'synthesis').attrs.num_fp16_res).toBe(4);
    expect(moduleAt(n, 'synthesis.b8').attrs.fused_modconv_default).toBe('inference_only');
    expect(moduleAt(n, 'synthesis.b8').initKwargs.conv_clamp).toBeUndefined();
    expect(moduleAt(n, 'synthesis.b8.conv1').attrs.conv_clamp).toBe(256);
    expect(moduleAt(n, 'synthesis.b8.conv1.affine').attrs).toEqual({ in_features: 8, out_features: 16, activation: 'linear', weight_gain: 1 / Math.sqrt(8), bias_gain: 1 });
    expect(moduleAt(n, 'mapping').attrs.w_avg_beta).toBe(0.998);
  });

  it('refuses bad kwargs naming the class and argument', () => {
    expect(() => buildGenerator(stylegan2AdaConfig({ resolution: 24 }))).toThrow('SynthesisNetwork.img_resolution: expected a power of two ≥ 4, got 24');
    const bad = stylegan2AdaConfig({ resolution: 16 });
    expect(() => buildGenerator({ ...bad, initKwargs: { ...bad.initKwargs, synthesis_kwargs: { channel_base: 'wide' } } })).toThrow(
      'SynthesisNetwork.channel_base: expected a number, got "wide"',
    );
    expect(() => buildGenerator({ ...bad, initKwargs: { ...bad.initKwargs, mapping_kwargs: { depth: 3 } } })).toThrow("MappingNetwork: unexpected keyword argument 'depth'");
    expect(() => buildGenerator({ ...bad, initKwargs: { ...bad.initKwargs, synthesis_kwargs: { architecture: 'unet' } } })).toThrow(
      "SynthesisBlock.architecture: expected one of 'orig', 'skip', 'resnet', got \"unet\"",
    );
  });

  it('builds every resolution from 4 to 1024 with channels min(channel_base / res, channel_max)', () => {
    for (let res = 4; res <= 1024; res *= 2) {
      const n = buildGenerator(stylegan2AdaConfig({ resolution: res, channelBase: 2048, channelMax: 64, zDim: 4, wDim: 4, mappingLayers: 1 }), { init: 'pristine' });
      expect(shape(n, `synthesis.b${res}.torgb.weight`)).toEqual([3, Math.min(2048 / res, 64), 1, 1]);
      expect(n.root.attrs.num_ws).toBe(2 * Math.log2(res) - 2);
    }
  });
});

describe('StyleGAN3 module tree (training.networks_stylegan3)', () => {
  const t1024 = buildGenerator(officialPreset('stylegan3-t-1024'));

  it('has the parameter counts the Alias-Free GAN paper reports (22.3M for -T, 15.1M for -R at 1024)', () => {
    expect(countParameters(t1024)).toBe(22_313_167);
    expect(countParameters(buildGenerator(officialPreset('stylegan3-r-1024')))).toBe(15_093_151);
    // 2 mapping layers, by hand.
    expect(countParameters(t1024, 'mapping.')).toBe(2 * (512 * 512 + 512));
  });

  it('names its layers L{idx}_{size}_{channels} from the schedule', () => {
    expect(moduleAt(t1024, 'synthesis').attrs.layer_names).toEqual([
      'L0_36_512', 'L1_36_512', 'L2_52_512', 'L3_52_512', 'L4_84_512', 'L5_148_512', 'L6_148_512', 'L7_276_323',
      'L8_276_203', 'L9_532_128', 'L10_1044_81', 'L11_1044_51', 'L12_1044_32', 'L13_1024_32', 'L14_1024_3',
    ]);
    expect(t1024.root.attrs.num_ws).toBe(16);
    expect(Object.keys(moduleAt(t1024, 'synthesis').children)[0]).toBe('input');
  });

  it('computes the schedule values the code does (checked by hand for L2 of the 1024 px -T)', () => {
    const l2 = moduleAt(t1024, 'synthesis.L2_52_512').attrs;
    // f_c[2] = 2·(512/2)^(2/12); f_t[2] = 2^2.1·(2^9.3/2^2.1)^(2/12) = 2^3.3 → s = 2^ceil(log2(2^4.3)) = 32;
    // f_h = max(2^3.3, 16) − f_c; size = 32 + 2·10.
    const fc2 = 2 * Math.pow(256, 2 / 12);
    expect(l2.out_cutoff).toBeCloseTo(fc2, 12);
    expect(l2.out_sampling_rate).toBe(32);
    expect(l2.out_half_width).toBeCloseTo(16 - fc2, 12);
    expect(l2.in_sampling_rate).toBe(16);
    expect(l2.tmp_sampling_rate).toBe(64);
    expect([l2.up_factor, l2.up_taps, l2.down_factor, l2.down_taps]).toEqual([4, 24, 2, 12]);
    // pad_total = (52−1)·2 + 1 − (36 + 3 − 1)·4 + 24 + 12 − 2 = −15; pad_lo = (−15 + 4) // 2 = −6 (floor).
    expect(l2.padding).toEqual([-6, -9, -6, -9]);
    expect(l2.in_size).toEqual([36, 36]);
    // Critically sampled last layers; the ToRGB layer has no filters and a 1×1 kernel.
    const torgb = moduleAt(t1024, 'synthesis.L14_1024_3');
    expect(torgb.attrs.is_torgb).toBe(true);
    expect(torgb.buffers).toEqual(['magnitude_ema']);
    expect(shape(t1024, 'synthesis.L14_1024_3.weight')).toEqual([3, 32, 1, 1]);
    expect(moduleAt(t1024, 'synthesis.L13_1024_32').attrs.padding).toEqual([-11, -12, -11, -12]);
    expect(moduleAt(t1024, 'synthesis.L12_1044_32').attrs.is_critically_sampled).toBe(true);
    expect(moduleAt(t1024, 'synthesis.L11_1044_51').attrs.is_critically_sampled).toBe(false);
    // use_fp16 where s · 2^4 > 1024.
    expect(moduleAt(t1024, 'synthesis.L4_84_512').attrs.use_fp16).toBe(false);
    expect(moduleAt(t1024, 'synthesis.L5_148_512').attrs.use_fp16).toBe(true);
    expect(moduleAt(t1024, 'synthesis.input').attrs).toEqual({ w_dim: 512, channels: 512, size: [36, 36], sampling_rate: 16, bandwidth: 2 });
  });

  it('designs the up/down filters as scipy firwin with a Kaiser window (values from scipy 1.17)', () => {
    const up0 = t1024.tensors.get('synthesis.L0_36_512.up_filter');
    expect(up0?.shape).toEqual([12]);
    const scipyUp0 = [
      0.000791902149740628, 0.010018318156623213, 0.03894952247200142, 0.09241278989917955, 0.1565256153446172, 0.20130185197783798,
      0.20130185197783798, 0.1565256153446172, 0.09241278989917955, 0.03894952247200142, 0.010018318156623213, 0.000791902149740628,
    ];
    Array.from(up0?.data ?? []).forEach((v, i) => expect(v).toBeCloseTo(scipyUp0[i] as number, 7));
    const up2 = t1024.tensors.get('synthesis.L2_52_512.up_filter');
    expect(up2?.shape).toEqual([24]);
    expect(up2?.data[0]).toBeCloseTo(-0.0003399101280080786, 8);
    expect(up2?.data[11]).toBeCloseTo(0.11040767841450197, 7);
    for (const [name, t] of t1024.tensors) {
      if (name.endsWith('_filter')) expect(sum(t.data)).toBeCloseTo(1, 5);
    }
  });

  it('uses radial (jinc) down filters in -R for the non-critical layers, 1×1 convolutions and doubled channels', () => {
    const r = buildGenerator(officialPreset('stylegan3-r-1024'));
    const names = moduleAt(r, 'synthesis').attrs.layer_names as string[];
    expect(names[0]).toBe('L0_36_1024');
    const l2 = `synthesis.${names[2]}`;
    expect(moduleAt(r, l2).attrs.down_radial).toBe(true);
    const f = r.tensors.get(`${l2}.down_filter`);
    expect(f?.shape).toEqual([12, 12]);
    // scipy: the jinc · Kaiser² design of numtaps 12, cutoff f_c[2], width 2·f_h[2], fs 64.
    expect(f?.data[0 * 12 + 3]).toBeCloseTo(8.919129225119082e-5, 9);
    expect(f?.data[5 * 12 + 5]).toBeCloseTo(0.039385563772038557, 7);
    expect(f?.data[3 * 12 + 7]).toBeCloseTo(0.014540666681814111, 7);
    expect(sum(f?.data ?? [])).toBeCloseTo(1, 5);
    expect(shape(r, `${l2}.weight`)[3]).toBe(1);
    const crit = `synthesis.${names[12]}`;
    expect(moduleAt(r, crit).attrs.down_radial).toBe(false);
    expect(shape(r, `${crit}.down_filter`)).toEqual([12]);
    expect(moduleAt(r, 'synthesis.L0_36_1024').initKwargs).toMatchObject({ conv_kernel: 1, use_radial_filters: true });
  });

  it('sets the Fourier input buffers: identity transform, frequencies inside the bandwidth, phases in [−½, ½)', () => {
    const n = buildGenerator(tinyStyleGan3(), { seed: 2 });
    expect(Array.from(n.tensors.get('synthesis.input.transform')?.data ?? [])).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const bw = moduleAt(n, 'synthesis.input').attrs.bandwidth as number;
    const f = n.tensors.get('synthesis.input.freqs')?.data ?? new Float32Array();
    for (let c = 0; c < f.length / 2; c++) expect(Math.hypot(f[2 * c] as number, f[2 * c + 1] as number)).toBeLessThanOrEqual(bw * 1.0001);
    for (const p of n.tensors.get('synthesis.input.phases')?.data ?? []) expect(p >= -0.5 && p < 0.5).toBe(true);
    // The code's SynthesisInput.affine starts at weight 0, bias (1, 0, 0, 0); pristine keeps that.
    const p = buildGenerator(tinyStyleGan3(), { init: 'pristine' });
    expect(Array.from(p.tensors.get('synthesis.input.affine.bias')?.data ?? [])).toEqual([1, 0, 0, 0]);
    expect(Array.from(p.tensors.get('synthesis.input.affine.weight')?.data ?? []).every((v) => v === 0)).toBe(true);
    expect(Array.from(p.tensors.get('synthesis.L0_24_16.magnitude_ema')?.data ?? [])).toEqual([1]);
    expect(moduleAt(p, 'mapping').attrs.embed).toBeNull();
  });

  it('tiny -T config for tests: 32 px, sampling rates 16 and 32, seven layers', () => {
    const n = buildGenerator(tinyStyleGan3());
    const names = moduleAt(n, 'synthesis').attrs.layer_names as string[];
    expect(names).toHaveLength(7);
    expect(names[names.length - 1]).toMatch(/^L6_32_3$/);
    const rates = names.map((nm) => moduleAt(n, `synthesis.${nm}`).attrs.out_sampling_rate);
    expect(new Set(rates)).toEqual(new Set([16, 32]));
    const c = buildGenerator(stylegan3Config({ resolution: 16, zDim: 8, wDim: 8, cDim: 4, channelBase: 64, channelMax: 8, extra: { num_layers: 4 } }));
    expect(shape(c, 'mapping.embed.weight')).toEqual([8, 4]);
    expect(shape(c, 'mapping.fc0.weight')).toEqual([8, 16]);
  });
});
