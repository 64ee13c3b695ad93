// `npm run train:pack -- --size 64 --count 16000` (dicebear renders, see pack.ts) or
// `npm run train:pack -- --size 64 --data ./gallery-pngs` (a gallery's own PNGs, see gallery.ts).
import { packGallery } from './gallery.ts';
import { PACK_USAGE, packRenders, parsePackArgs } from './pack.ts';

const stamp = (): string => new Date().toISOString().slice(11, 19);
try {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(PACK_USAGE);
  } else {
    const req = parsePackArgs(process.argv.slice(2));
    const r = req.kind === 'gallery'
      ? packGallery(req)
      : packRenders({ ...req, onProgress: (d, t) => console.log(`[${stamp()}] rendered ${d}/${t}`) });
    console.log(`[${stamp()}] wrote ${r.file} (${r.meta.count}×${r.meta.size}×${r.meta.size}×3 uint8) and ${r.metaFile}`);
    if (req.kind === 'gallery') console.log(`train on it: npm run train:torch -- --out <run folder> --size ${r.meta.size} --data ${r.file}`);
  }
} catch (e: unknown) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
