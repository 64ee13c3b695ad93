// `npm run train:export -- --checkpoint <run>/checkpoint --out models/<id>` (see export.ts).
import * as tf from '@tensorflow/tfjs';
import { exportTorchRun } from './export.ts';

const USAGE = 'npm run train:export -- --checkpoint <PyTorch run>/checkpoint --out models/<id>';

async function main(argv: string[]): Promise<void> {
  let checkpoint = '';
  let out = '';
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[i + 1];
    if (f === '--checkpoint' && v) checkpoint = v;
    else if (f === '--out' && v) out = v;
    else throw new Error(`unknown or incomplete option ${f}\n${USAGE}`);
    i++;
  }
  if (!checkpoint || !out) throw new Error(`--checkpoint and --out are required\n${USAGE}`);
  await tf.setBackend('cpu');
  await exportTorchRun({ checkpoint, out });
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
