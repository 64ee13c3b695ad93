import type { ModelCard } from './types.ts';

/** A tensor shape as tfjs reports it: null or -1 for a free dimension (the batch). */
export type ModelShape = readonly (number | null)[];

function fixed(d: number | null | undefined): d is number {
  return typeof d === 'number' && d >= 0;
}

function show(shape: ModelShape): string {
  return `[${shape.map((d) => (fixed(d) ? d : 'batch')).join(', ')}]`;
}

/**
 * Checks the card against the shapes the model itself declares, so a card written for another model is a clear
 * error at load rather than garbage on screen. Free dimensions (graph models often leave them open) pass.
 * Returns the problems found, each naming the card field; empty when they agree.
 */
export function checkCardAgainstModel(card: ModelCard, input: ModelShape | undefined, output: ModelShape | undefined, source = 'card.json'): string[] {
  const errors: string[] = [];
  if (input) {
    const last = input[input.length - 1];
    if (input.length !== 2) errors.push(`${source}: the model's input has shape ${show(input)}, expected [batch, latent.size]`);
    else if (fixed(last) && last !== card.latent.size) {
      errors.push(`${source}: latent.size: the card says ${card.latent.size} but the model's input has shape ${show(input)}`);
    }
  }
  if (output) {
    const { height, width, channels, layout } = card.output;
    const want = layout === 'NHWC' ? [height, width, channels] : [channels, height, width];
    if (output.length !== 4) {
      errors.push(`${source}: output: the model's output has shape ${show(output)}, expected a batch of images (${layout})`);
    } else {
      const names = layout === 'NHWC' ? ['height', 'width', 'channels'] : ['channels', 'height', 'width'];
      want.forEach((w, i) => {
        const got = output[i + 1];
        if (fixed(got) && got !== w) {
          errors.push(`${source}: output.${names[i] ?? '?'}: the card says ${w} but the model's output has shape ${show(output)} (${layout})`);
        }
      });
    }
  }
  return errors;
}
