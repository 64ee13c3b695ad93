import type { ModelCard } from './types.ts';

/**
 * Provenance a gallery owes the public before showing a model: who made it, from what data under which licences,
 * and the model's own licence. An imported model's card starts with these empty; this names the ones still empty
 * (card field paths), for check-show and the page to warn about.
 */
export function missingProvenance(card: ModelCard): string[] {
  const p = card.provenance;
  const missing: string[] = [];
  if (p.authors.length === 0) missing.push('provenance.authors');
  if (p.trainingData.trim() === '') missing.push('provenance.trainingData');
  if (p.dataLicences.length === 0) missing.push('provenance.dataLicences');
  if (p.licence.trim() === '') missing.push('provenance.licence');
  return missing;
}

/** One line for logs and check-show: `model "x": card.json lacks provenance.authors, provenance.licence; …`. */
export function provenanceWarning(modelId: string, card: ModelCard, missing: readonly string[]): string {
  const nvidia = card.format === 'stylegan2' || card.format === 'stylegan3' ? " (a model trained with NVIDIA's StyleGAN code may carry NVIDIA's non-commercial licence)" : '';
  return `model "${modelId}": card.json lacks ${missing.join(', ')}; fill them in models/${modelId}/card.json before showing it in public${nvidia}`;
}
