// Every folder under models/ carries a card, and a generator's card tells the truth: its shapes match the weights
// and its eval figures come back when measured again (the nearest-neighbour check is left to `npm run eval --
// --check`: it renders the whole training set, minutes on two cores).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCardAgainstModel } from '../../../src/core/model-card/consistency.ts';
import { validateModelCard } from '../../../src/core/model-card/validate.ts';
import { parseDirections } from '../../../src/core/latent/directions.ts';
import { loadShowOrThrow } from '../../../src/core/show/load.ts';
import { unsteerable } from '../../../src/core/show/steering.ts';
import { compareWithCard, measure } from '../../../tools/eval/cli.ts';
import type { ModelCard } from '../../../tools/train/export/card.ts';
import { loadLayersModelFromDir, weightsDigest } from '../../../tools/lib/model-files.ts';
import { startWasmBackend } from '../../../tools/lib/tfjs-wasm.ts';
import { decodePng } from '../../../tools/lib/png.ts';
import { upscaleFactor } from '../../../src/generator/upscale/rule.ts';

const MODELS = path.resolve(import.meta.dirname, '../../../models');
const folders = fs.readdirSync(MODELS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const generators = folders.filter((f) => fs.existsSync(path.join(MODELS, f, 'model.json')));
const upscalerCard = JSON.parse(fs.readFileSync(path.join(MODELS, 'upscale-x4', 'card.json'), 'utf8')) as { input: { maxSide: number } };
const upscalerMaxSide = upscalerCard.input.maxSide;
const SHOWS = path.resolve(import.meta.dirname, '../../../show-configs');
const shows = fs.readdirSync(SHOWS).filter((f) => f.endsWith('.json')).map((f) => loadShowOrThrow(fs.readFileSync(path.join(SHOWS, f), 'utf8'), { name: f }));

describe('shipped models', () => {
  it('include the default generator, and every folder has a card', () => {
    expect(generators).toContain('default');
    for (const f of folders) expect(fs.existsSync(path.join(MODELS, f, 'card.json')), `models/${f}/card.json`).toBe(true);
  });

  describe.each(generators)('models/%s', (id) => {
    const dir = path.join(MODELS, id);
    const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8'));
    const card = json as ModelCard;

    it('has a valid card with credits, training facts and measured eval figures', () => {
      expect(validateModelCard(json, `models/${id}/card.json`)).toMatchObject({ ok: true });
      expect(card.provenance.credits.length).toBeGreaterThan(20);
      expect(card.training.steps).toBeGreaterThan(0);
      for (const k of ['diversityRatio', 'nearestNeighbourRatio', 'frechetDistance', 'fixedPatternRatio'] as const) expect(Number.isFinite(card.eval[k]), k).toBe(true);
      expect(card.eval.featureNet).not.toMatch(/not yet evaluated/);
      for (const png of ['samples.png', 'interpolation.png']) expect(fs.existsSync(path.join(dir, png)), png).toBe(true);
      // samples.png shows the portraits at display size: through the shipped upscaler where the shows' auto uses it.
      const factor = upscaleFactor('auto', { height: card.output.height, width: card.output.width, allowed: card.upscale?.allow !== false, maxSide: upscalerMaxSide });
      const sheet = decodePng(fs.readFileSync(path.join(dir, 'samples.png')), `models/${id}/samples.png`);
      expect(sheet.width, 'samples.png: 4 portraits across at display size').toBe(4 * card.output.width * factor + 5 * 2);
    });

    it("matches its weights' shapes and reproduces its diversity and Fréchet figures", async () => {
      const valid = validateModelCard(json);
      if (!valid.ok) throw new Error(valid.errors.join('\n'));
      await startWasmBackend();
      const model = await loadLayersModelFromDir(dir);
      expect(checkCardAgainstModel(valid.card, model.inputs[0]?.shape, model.outputs[0]?.shape)).toEqual([]);
      model.dispose();
      const m = await measure(dir, { samples: card.eval.samples, nearest: false, log: () => undefined });
      expect(compareWithCard(card, m)).toEqual([]);
    }, 180_000);

    it('has directions made for these very weights, enough for every shipped show that steers it', () => {
      const file = path.join(dir, 'directions.json');
      const using = shows.filter((s) => s.model === id);
      if (!fs.existsSync(file)) {
        // Without directions.json the steering sliders do nothing: fine only if no shipped show steers this model.
        for (const show of using) expect(unsteerable(show, 0), show.name).toEqual([]);
        return;
      }
      const parsed = parseDirections(JSON.parse(fs.readFileSync(file, 'utf8')), card.latent.size);
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      // A retrained model's old directions point nowhere useful: rerun npm run directions -- models/<id>.
      expect(parsed.value.provenance.weightsSha256, 'directions.json provenance.weightsSha256').toBe(weightsDigest(dir));
      for (const show of using) expect(unsteerable(show, parsed.value.directions.length), show.name).toEqual([]);
    });
  });
});
