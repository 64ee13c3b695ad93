import { describe, expect, it } from 'vitest';
import { validateModelCard } from '../../../src/core/model-card/validate.ts';

function validCard(): Record<string, unknown> {
  return {
    id: 'tiny',
    title: 'Tiny test generator',
    format: 'layers',
    modelUrl: 'model.json',
    latent: { size: 8, distribution: 'normal' },
    output: { height: 8, width: 8, channels: 3, range: [-1, 1], layout: 'NHWC', channelOrder: 'RGB' },
    truncation: { recommended: 0.7 },
    provenance: {
      authors: ['Sitter tests'],
      trainingData: 'none (fixed seeded weights)',
      dataLicences: [{ source: 'none', licence: 'CC0-1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/' }],
      licence: 'MIT',
      consent: 'no people in the data',
      credits: 'Sitter',
    },
    training: { steps: 0 },
    eval: {},
  };
}

function errorsOf(json: unknown): readonly string[] {
  const r = validateModelCard(json);
  return r.ok ? [] : r.errors;
}

describe('validateModelCard', () => {
  it('accepts a complete card and types it', () => {
    const r = validateModelCard(validCard());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.card.latent.size).toBe(8);
    expect(r.card.output.range).toEqual([-1, 1]);
    expect(r.card.provenance.dataLicences[0]?.licence).toBe('CC0-1.0');
    expect(r.card.mean).toBeUndefined();
  });

  it('names the field and what it got for a wrong output range', () => {
    const card = validCard();
    card['output'] = { ...(card['output'] as object), range: [0, 255] };
    expect(errorsOf(card)).toEqual(['card.json: output.range: expected [-1, 1] or [0, 1], got [0, 255]']);
  });

  it('reports every problem at once, each with its path', () => {
    const card = validCard();
    card['format'] = 'onnx';
    card['latent'] = { size: 0, distribution: 'uniform' };
    delete card['provenance'];
    const errors = errorsOf(card);
    expect(errors).toContain('card.json: format: expected one of "layers", "graph", "stylegan2", "stylegan3", got "onnx"');
    expect(errors).toContain('card.json: latent.size: expected an integer in 1..65536, got 0');
    expect(errors).toContain('card.json: latent.distribution: expected one of "normal", got "uniform"');
    expect(errors).toContain('card.json: provenance: expected an object, got nothing');
    expect(errors.some((e) => e.startsWith('card.json: provenance.authors:'))).toBe(true);
  });

  it('refuses model files from outside the model folder', () => {
    for (const modelUrl of ['https://example.com/model.json', '/models/x/model.json', '../other/model.json']) {
      const errors = errorsOf({ ...validCard(), modelUrl });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^card\.json: modelUrl: expected a path inside the model folder/);
    }
  });

  it('checks the mean latent against latent.size and names the data licence entry', () => {
    const card: Record<string, unknown> = { ...validCard(), mean: [0, 0, 0] };
    const prov = card['provenance'] as Record<string, unknown>;
    prov['dataLicences'] = [{ source: 'x', licence: '', url: 'u' }];
    expect(errorsOf(card)).toEqual([
      'card.json: provenance.dataLicences[0].licence: expected a non-empty string, got ""',
      'card.json: mean: expected a list of 8 finite numbers (latent.size), got "a list of 3 items"',
    ]);
    const ok = validateModelCard({ ...validCard(), mean: new Array(8).fill(0.5), averageW: [1, 2] });
    expect(ok.ok && ok.card.mean?.length === 8 && ok.card.averageW?.length === 2).toBe(true);
  });

  it('uses the given source name and rejects non-objects', () => {
    expect(validateModelCard([], 'models/x/card.json')).toEqual({ ok: false, errors: ['models/x/card.json: expected a JSON object, got []'] });
    expect(validateModelCard(null).ok).toBe(false);
  });

  it('types an imported StyleGAN card and checks its section against the rest of the card', () => {
    const stylegan = { generation: 'stylegan2', zDim: 8, wDim: 4, cDim: 0, numWs: 6, resolution: 8, network: 'network.json', weights: 'weights.json' };
    const ok = validateModelCard({ ...validCard(), format: 'stylegan2', modelUrl: 'network.json', stylegan, averageW: [0, 0, 0, 0] });
    expect(ok.ok && ok.card.stylegan).toEqual(stylegan);
    expect(errorsOf({ ...validCard(), format: 'stylegan3', stylegan: { ...stylegan, zDim: 9, resolution: 16, weights: '../w.json' }, averageW: [0] })).toEqual([
      'card.json: stylegan.generation: expected "stylegan3" (the card\'s format), got "stylegan2"',
      'card.json: stylegan.zDim: expected 8 (latent.size), got 9',
      'card.json: stylegan.resolution: expected 8 (output.height and output.width), got 16',
      'card.json: stylegan.weights: expected a path inside the model folder (no scheme, no leading "/", no ".."), got "../w.json"',
      'card.json: averageW: expected a list of 4 finite numbers (stylegan.wDim), got "a list of 1 items"',
    ]);
    expect(errorsOf({ ...validCard(), format: 'stylegan2' })).toEqual(['card.json: stylegan: expected an object, got nothing']);
    expect(errorsOf({ ...validCard(), stylegan })).toEqual(['card.json: stylegan: expected no "stylegan" section for format "layers", got ' + JSON.stringify(stylegan).replace(/,/g, ', ').slice(0, 57) + '…']);
  });
});
