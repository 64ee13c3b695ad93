import { describe, expect, it } from 'vitest';
import { validateUpscalerCard } from '../../../src/core/model-card/upscaler-card.ts';
import { validateModelCard } from '../../../src/core/model-card/validate.ts';
import { parseUpscalerManifest } from '../../../src/generator/upscale/manifest.ts';

const provenance = {
  authors: ['Sitter tests'],
  trainingData: 'synthetic',
  dataLicences: [{ source: 'none', licence: 'CC0-1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/' }],
  licence: 'CC0-1.0',
};

function upscalerCard(): Record<string, unknown> {
  return {
    id: 'up',
    title: 'Test upscaler',
    kind: 'upscaler',
    format: 'sitter-upscaler',
    modelUrl: 'upscaler.json',
    factor: 4,
    input: { channels: 3, range: [0, 1], layout: 'NHWC', maxSide: 256 },
    provenance,
    training: {},
    eval: {},
  };
}

function manifest(width = 4): Record<string, unknown> {
  const plan: [number, number, number][] = [[5, 3, width], [3, width, 48]];
  return {
    format: 'sitter-upscaler',
    version: 1,
    factor: 4,
    inputOffset: -0.5,
    skip: 'bilinear',
    convs: plan.map(([k, i, o], n) => ({ name: `conv${n}`, kernel: k, in: i, out: o, activation: n === plan.length - 1 ? 'linear' : 'relu' })),
    weightsManifest: [{
      paths: ['weights.bin'],
      weights: plan.flatMap(([k, i, o], n) => [
        { name: `conv${n}/kernel`, shape: [k, k, i, o], dtype: 'float32' },
        { name: `conv${n}/bias`, shape: [o], dtype: 'float32' },
      ]),
    }],
  };
}

describe('upscaler card', () => {
  it('types a complete card', () => {
    const r = validateUpscalerCard(upscalerCard());
    expect(r.ok && r.card.input.maxSide).toBe(256);
  });

  it('names every wrong field at once', () => {
    const r = validateUpscalerCard({ ...upscalerCard(), kind: 'generator', factor: 3, input: { channels: 3, range: [-1, 1], layout: 'NHWC', maxSide: 0 }, modelUrl: '../x.json' }, 'up/card.json');
    expect(r.ok ? [] : r.errors).toEqual([
      'up/card.json: kind: expected "upscaler", got "generator"',
      'up/card.json: factor: expected 4, got 3',
      'up/card.json: input.range: expected [0, 1], got [-1, 1]',
      'up/card.json: modelUrl: expected a path inside the model folder (no scheme, no leading "/", no ".."), got "../x.json"',
      'up/card.json: input.maxSide: expected an integer in 1..4096, got 0',
    ]);
  });
});

describe('generator card upscale section', () => {
  const gen = {
    id: 'g', title: 'G', format: 'layers', modelUrl: 'model.json', latent: { size: 8, distribution: 'normal' },
    output: { height: 8, width: 8, channels: 3, range: [-1, 1], layout: 'NHWC', channelOrder: 'RGB' },
    truncation: { recommended: 0.7 }, provenance: { ...provenance, consent: 'none', credits: 'Sitter' }, training: {}, eval: {},
  };

  it('is optional and carries allow', () => {
    const absent = validateModelCard(gen);
    expect(absent.ok && absent.card.upscale).toBeUndefined();
    const no = validateModelCard({ ...gen, upscale: { allow: false } });
    expect(no.ok && no.card.upscale).toEqual({ allow: false });
  });

  it('refuses anything but { allow: boolean }', () => {
    const r = validateModelCard({ ...gen, upscale: 'yes' });
    expect(r.ok ? [] : r.errors).toEqual(['card.json: upscale: expected { "allow": true | false }, got "yes"']);
  });
});

describe('upscaler manifest', () => {
  it('accepts the layout export.py writes', () => {
    const m = parseUpscalerManifest(manifest());
    expect(m.convs.map((c) => c.activation)).toEqual(['relu', 'linear']);
    expect(m.weightsManifest[0].weights).toHaveLength(4);
  });

  it('refuses a chain whose channels do not connect, a wrong last width and mismatched weight shapes', () => {
    const bad = manifest();
    (bad['convs'] as Record<string, unknown>[])[1] = { name: 'conv1', kernel: 3, in: 5, out: 12, activation: 'linear' };
    expect(() => parseUpscalerManifest(bad, 'm.json')).toThrow(
      [
        'm.json: convs[1].in: expected 4 (the previous conv\'s out), got 5',
        'm.json: convs[1].out: expected 48 (3 colours × 4² sub-pixels), got 12',
        'm.json: weightsManifest[0].weights[2]: expected {name: "conv1/kernel", shape: [3, 3, 5, 12], dtype: "float32"}, got {"name":"conv1/kernel","shape":[3,3,4,48],"dtype":"float32"}',
      ].join('\n'),
    );
  });

  it('refuses weights from outside the folder', () => {
    const bad = manifest();
    (bad['weightsManifest'] as { paths: string[] }[])[0]!.paths = ['https://x/w.bin'];
    expect(() => parseUpscalerManifest(bad)).toThrow(/paths\[0\]: expected a file inside the folder/);
  });
});
