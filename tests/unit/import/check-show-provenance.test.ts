import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildGenerator } from '../../../src/core/stylegan/architecture.ts';
import { tinyStyleGan2 } from '../../../src/core/stylegan/presets.ts';
import { checkShow } from '../../../tools/check-show.ts';
import { importPickle } from '../../../tools/import/import.ts';
import { nvidiaNetworkPickle } from '../../support/pickle-writer/stylegan.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
let repo: string;
let show: string;

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'sitter-check-'));
  mkdirSync(join(repo, 'models'));
  const text = readFileSync(join(REPO, 'show-configs', 'gallery-kiosk.json'), 'utf8').replace(/"model":\s*"[^"]*"/, '"model": "harbour"');
  show = join(repo, 'harbour-show.json');
  writeFileSync(show, text);
  const pkl = join(repo, 'harbour.pkl');
  writeFileSync(pkl, nvidiaNetworkPickle(buildGenerator(tinyStyleGan2(), { seed: 1 })));
  importPickle({ input: pkl, modelsDir: join(repo, 'models') });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe('check-show warns while an imported model lacks provenance', () => {
  it('names the empty fields and the NVIDIA licence caveat, and still passes the show', () => {
    const { code, lines } = checkShow([show], repo);
    expect(code).toBe(0);
    const warning = lines.find((l) => l.includes('warning:'));
    expect(warning).toBe(
      '  warning: model "harbour": card.json lacks provenance.authors, provenance.trainingData, provenance.dataLicences, provenance.licence; fill them in models/harbour/card.json before showing it in public (a model trained with NVIDIA\'s StyleGAN code may carry NVIDIA\'s non-commercial licence)',
    );
  });

  it('names only what is still missing, and is quiet once the gallery has filled the card', () => {
    const cardPath = join(repo, 'models', 'harbour', 'card.json');
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as { provenance: Record<string, unknown> };
    card.provenance.authors = ['A. Painter'];
    card.provenance.trainingData = '2,000 photographs of the harbour taken by the artist, 2024';
    writeFileSync(cardPath, JSON.stringify(card));
    expect(checkShow([show], repo).lines.find((l) => l.includes('warning:'))).toMatch(/lacks provenance\.dataLicences, provenance\.licence;/);
    card.provenance.dataLicences = [{ source: 'the artist', licence: 'all rights reserved, used with permission', url: 'https://example.org' }];
    card.provenance.licence = 'NVIDIA Source Code License-NC (non-commercial)';
    writeFileSync(cardPath, JSON.stringify(card));
    expect(checkShow([show], repo).lines.filter((l) => l.includes('warning:'))).toEqual([]);
  });

  it('the shipped default model has full provenance: no warning', () => {
    cpSync(join(REPO, 'models', 'default', 'card.json'), join(repo, 'models', 'harbour', 'card.json'));
    expect(checkShow([show], repo).lines.filter((l) => l.includes('warning:'))).toEqual([]);
  });
});
