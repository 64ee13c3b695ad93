/**
 * `npm run soak -- --minutes N [--no-faults] [--model id [--models dir]]`: the long soak. Writes tests/.tmp/soak-report.json and exits 1 when
 * anything grew or failed to recover.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { TMP_DIR } from '../support/fake-camera.ts';
import { runSoak } from './harness.ts';
import { judge } from './judge.ts';

const args = process.argv.slice(2);
const mi = args.indexOf('--minutes');
const minutes = mi >= 0 ? Number(args[mi + 1]) : 10;
if (!(minutes > 0)) {
  console.error('usage: npm run soak -- --minutes N [--no-faults] [--model id [--models dir]]');
  process.exit(2);
}
await build({ configFile: 'vite.config.ts', logLevel: 'error' });
const valueOf = (flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const model = valueOf('--model');
const modelsDir = valueOf('--models');
const report = await runSoak({
  minutes,
  faults: !args.includes('--no-faults'),
  sampleSeconds: minutes > 10 ? 30 : 5,
  log: (l) => console.log(l),
  ...(model ? { model } : {}),
  ...(modelsDir ? { modelsDir: resolve(modelsDir) } : {}),
});
const problems = [...report.failures, ...judge(report)];
writeFileSync(join(TMP_DIR, 'soak-report.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify({ slopes: report.slopes, ranges: report.ranges, faults: report.faults, deskPackets: report.deskPackets, malformed: report.malformedPackets }, null, 2));
if (problems.length) {
  console.error(`soak FAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`soak passed: ${minutes} min, report in tests/.tmp/soak-report.json`);
