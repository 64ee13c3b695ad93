/**
 * npm run import -- path/to/network.pkl [--id name] [--network G_ema|G] [--float16] [--force] [--models dir]
 * Converts an NVIDIA StyleGAN2-ADA / StyleGAN3 network pickle into models/<id>/ (see README.md here).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { errorMessage } from '../../src/core/error-message.ts';
import { ImportError, importPickle } from './import.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = 'usage: npm run import -- path/to/network.pkl [--id name] [--network G_ema|G] [--float16] [--force] [--models dir]\n  --models: the folder of model folders to write into (default: the bundled models/; `npm start -- --models dir` serves it)';

export function runImport(argv: readonly string[], modelsDir: string = resolve(REPO, 'models')): { code: number; lines: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      allowPositionals: true,
      options: { id: { type: 'string' }, models: { type: 'string' }, network: { type: 'string' }, float16: { type: 'boolean' }, force: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (e) {
    return { code: 2, lines: [errorMessage(e), USAGE] };
  }
  const { values, positionals } = parsed;
  if (values.help) return { code: 0, lines: [USAGE] };
  if (positionals.length !== 1) return { code: 2, lines: [USAGE] };
  try {
    const r = importPickle({
      input: resolve(positionals[0] as string),
      modelsDir: values.models !== undefined ? resolve(values.models) : modelsDir,
      ...(values.id !== undefined ? { id: values.id } : {}),
      ...(values.network !== undefined ? { network: values.network } : {}),
      float16: values.float16 ?? false,
      force: values.force ?? false,
    });
    return { code: 0, lines: [...r.lines] };
  } catch (e) {
    if (e instanceof ImportError) return { code: 1, lines: [`import refused: ${e.message}`] };
    return { code: 1, lines: [`import failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] };
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { code, lines } = runImport(process.argv.slice(2));
  (code === 0 ? console.log : console.error)(lines.join('\n'));
  process.exitCode = code;
}
