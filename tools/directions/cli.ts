/**
 * `npm run directions -- <model-dir> [--samples 2000] [--components 8] [--layer g_act0] [--seed 1] [--rows 4]
 * [--truncation ψ]`: GANSpace directions for a model folder (see ganspace.ts), written to
 * <model-dir>/directions.json with a contact sheet per direction in <model-dir>/directions/.
 * ψ of the sheets' portraits defaults to the card's recommended truncation. An imported StyleGAN folder (card format
 * stylegan2/stylegan3) gets its directions in w instead (stylegan.ts; --layer does not apply).
 */
import { parseDirectionsArgs } from './args.ts';
import { runDirections } from './run.ts';
import { errorMessage } from '../../src/core/error-message.ts';

try {
  const out = await runDirections({ ...parseDirectionsArgs(process.argv.slice(2)), log: (line) => console.log(line) });
  console.log(`wrote ${out.directionsFile} and ${out.sheets.length} contact sheets (layer ${out.layer}, ${out.backend})`);
} catch (e) {
  console.error(errorMessage(e));
  process.exitCode = 1;
}
