// `npm run train:pack -- --size 64 --count 16000` (see pack.ts).
import { PACK_USAGE, packRenders, parsePackArgs } from './pack.ts';

const stamp = (): string => new Date().toISOString().slice(11, 19);
try {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(PACK_USAGE);
  } else {
    const opts = parsePackArgs(process.argv.slice(2));
    const r = packRenders({ ...opts, onProgress: (d, t) => console.log(`[${stamp()}] rendered ${d}/${t}`) });
    console.log(`[${stamp()}] wrote ${r.file} (${r.meta.count}×${r.meta.size}×${r.meta.size}×3 uint8) and ${r.metaFile}`);
  }
} catch (e: unknown) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
