// `npm run train -- …` entry point (see args.ts for options).
import { parseArgs } from './args.ts';
import { runTraining } from './run.ts';

const stamp = (): string => new Date().toISOString().slice(11, 19);
runTraining(parseArgs(process.argv.slice(2)), (m) => console.log(`[${stamp()}] ${m}`)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
