// Command-line options for `npm run train`.
export interface TrainArgs {
  out: string;
  steps: number;
  minutes: number;
  size: number;
  batch: number;
  base: number;
  count: number;
  data: string | null;
  exportOnly: boolean;
  checkpointEvery: number;
  logEvery: number;
  seed: number | null;
}

export const USAGE = `npm run train -- [options]
  --out <dir>             model folder (default models/default); checkpoint in <dir>/checkpoint
  --steps <n>             stop when the total step count reaches n (default 1000000)
  --minutes <m>           stop after m minutes of this session (default: no limit)
  --size <px>             image size, power of two ≥ 8 (default 32; fixed by an existing checkpoint)
  --batch <n>             batch size (default 32)
  --base <ch>             channel base (default 16)
  --count <n>             dicebear images to render (default 16000)
  --data <dir>            train on a folder of PNG images instead of dicebear
  --seed <n>              RNG seed for a fresh run
  --export-only           write model.json/weights.bin/card/samples from the checkpoint and exit
  --checkpoint-every <s>  seconds between checkpoints (default 180)
  --log-every <n>         steps between progress lines (default 25)`;

export function parseArgs(argv: string[]): TrainArgs {
  const a: TrainArgs = {
    out: 'models/default',
    steps: 1_000_000,
    minutes: Infinity,
    size: 32,
    batch: 32,
    base: 16,
    count: 16000,
    data: null,
    exportOnly: false,
    checkpointEvery: 180,
    logEvery: 25,
    seed: null,
  };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const v = argv[i + 1];
    switch (f) {
      case '--out': a.out = v ?? a.out; i++; break;
      case '--steps': a.steps = num(f, v); i++; break;
      case '--minutes': a.minutes = num(f, v); i++; break;
      case '--size': a.size = num(f, v); i++; break;
      case '--batch': a.batch = num(f, v); i++; break;
      case '--base': a.base = num(f, v); i++; break;
      case '--count': a.count = num(f, v); i++; break;
      case '--seed': a.seed = num(f, v); i++; break;
      case '--data': if (!v) throw new Error('--data needs a folder'); a.data = v; i++; break;
      case '--export-only': a.exportOnly = true; break;
      case '--checkpoint-every': a.checkpointEvery = num(f, v); i++; break;
      case '--log-every': a.logEvery = num(f, v); i++; break;
      case '--help': case '-h': console.log(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${f}\n${USAGE}`);
    }
  }
  return a;
}
