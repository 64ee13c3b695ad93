import { describe, expect, it } from 'vitest';
import { checkCardAgainstModel } from '../../../src/core/model-card/consistency.ts';
import type { ModelCard } from '../../../src/core/model-card/types.ts';

const card: ModelCard = {
  id: 't',
  title: 't',
  format: 'layers',
  modelUrl: 'model.json',
  latent: { size: 128, distribution: 'normal' },
  output: { height: 64, width: 64, channels: 3, range: [-1, 1], layout: 'NHWC', channelOrder: 'RGB' },
  truncation: { recommended: 0.7 },
  provenance: { authors: ['a'], trainingData: 'd', dataLicences: [{ source: 's', licence: 'l', url: 'u' }], licence: 'MIT', consent: 'c', credits: 'c' },
  training: {},
  eval: {},
};

describe('checkCardAgainstModel', () => {
  it('passes a model whose shapes match the card, with free batch dimensions', () => {
    expect(checkCardAgainstModel(card, [null, 128], [null, 64, 64, 3])).toEqual([]);
    expect(checkCardAgainstModel(card, [-1, 128], [-1, -1, -1, 3])).toEqual([]);
    expect(checkCardAgainstModel(card, undefined, undefined)).toEqual([]);
  });

  it('names latent.size when the model takes another latent', () => {
    expect(checkCardAgainstModel(card, [null, 100], [null, 64, 64, 3])).toEqual([
      "card.json: latent.size: the card says 128 but the model's input has shape [batch, 100]",
    ]);
  });

  it('reads the output shape in the layout the card declares', () => {
    expect(checkCardAgainstModel(card, [null, 128], [null, 3, 64, 64])).toEqual([
      "card.json: output.height: the card says 64 but the model's output has shape [batch, 3, 64, 64] (NHWC)",
      "card.json: output.channels: the card says 3 but the model's output has shape [batch, 3, 64, 64] (NHWC)",
    ]);
    const nchw: ModelCard = { ...card, output: { ...card.output, layout: 'NCHW' } };
    expect(checkCardAgainstModel(nchw, [null, 128], [null, 3, 64, 64])).toEqual([]);
  });

  it('refuses a model that does not output images', () => {
    expect(checkCardAgainstModel(card, [null, 128], [null, 12288], 'models/x/card.json')).toEqual([
      "models/x/card.json: output: the model's output has shape [batch, 12288], expected a batch of images (NHWC)",
    ]);
  });
});
