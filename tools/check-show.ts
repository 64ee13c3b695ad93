/**
 * npm run check-show -- <file.json | name>
 * Validates a show file (a path, or a name under show-configs/) and prints either a one-paragraph summary or every
 * problem with its path. Exit code 1 when the show is not valid, so it can guard a deploy script.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { missingProvenance, provenanceWarning } from '../src/core/model-card/provenance.ts';
import { validateModelCard } from '../src/core/model-card/validate.ts';
import { formatIssue } from '../src/core/show/issues.ts';
import { loadShow } from '../src/core/show/load.ts';
import type { Show } from '../src/core/show/types.ts';
import { errorMessage } from '../src/core/error-message.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function resolveShowPath(arg: string, repo: string = REPO): string {
  if (arg.endsWith('.json') || arg.includes('/')) return resolve(arg);
  return join(repo, 'show-configs', `${arg}.json`);
}

export function summarise(show: Show): string[] {
  const cues = show.cues;
  const follows = cues.filter((c) => c.follow !== null).length;
  const pose = show.pose;
  const lines = [
    `model ${show.model}; backends ${show.backend.join(' › ')}`,
    `${Object.keys(show.initial).length} start values; ${Object.keys(show.idle.values).length} idle values`,
    pose.enabled
      ? `pose on: ${pose.model} on ${pose.delegate}, up to ${pose.maxPeople} ${pose.maxPeople === 1 ? 'person' : 'people'}, ${pose.mappings.length} mappings (${pose.mappings.map((m) => `${m.feature}→${m.param}`).join(', ') || 'none'})`
      : 'pose off',
    `${cues.length} cues${follows > 0 ? `, ${follows} with auto-follow` : ''}${show.startCue !== null ? `, starts at cue ${show.startCue}` : ''}`,
    `OSC on ${show.osc.bind.join(', ')} port ${show.osc.port}${show.osc.allow.length > 0 ? ` from ${show.osc.allow.join(', ')}` : ''}${show.osc.feedback ? `, feedback to ${show.osc.feedback.host}:${show.osc.feedback.port} at ${show.osc.feedback.rateHz} Hz` : ''}`,
    show.credits ? `credits every ${show.credits.everyMinutes} min for ${show.credits.seconds} s` : 'no credits',
    show.kiosk.dailyRestart ? `daily restart at ${show.kiosk.dailyRestart}` : 'no daily restart',
    `frame capture ${show.privacy.allowFrameCapture ? 'ALLOWED' : 'off'}`,
  ];
  return lines.map((l) => `  ${l}`);
}

export function checkShow(args: readonly string[], repo: string = REPO): { code: number; lines: string[] } {
  const arg = args.find((a) => a !== '--');
  if (arg === undefined) return { code: 2, lines: ['usage: npm run check-show -- <file.json | name under show-configs/>'] };
  const path = resolveShowPath(arg, repo);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { code: 1, lines: [`${path}: cannot read (${errorMessage(error)})`] };
  }
  const result = loadShow(text, { name: basename(path, '.json') });
  if (!result.ok) {
    const n = result.issues.length;
    return { code: 1, lines: [`${path}: ${n} problem${n === 1 ? '' : 's'}`, ...result.issues.map((i) => `  ${formatIssue(i)}`)] };
  }
  const lines = [`OK ${path}: "${result.show.name}"`, ...summarise(result.show)];
  if (!existsSync(join(repo, 'models', result.show.model))) {
    lines.push(`  note: models/${result.show.model}/ is not in this checkout (the show is valid; the model must be installed)`);
  } else {
    lines.push(...modelCardWarnings(repo, result.show.model));
  }
  return { code: 0, lines };
}

/**
 * Warnings about the shown model's card: unreadable or invalid (the page would refuse it), or provenance the gallery
 * has not filled yet (an imported model's card starts empty). Warnings, not errors: the show file itself is valid.
 */
export function modelCardWarnings(repo: string, model: string): string[] {
  const path = join(repo, 'models', model, 'card.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return [`  warning: models/${model}/card.json cannot be read (${errorMessage(error)})`];
  }
  const card = validateModelCard(json, `models/${model}/card.json`);
  if (!card.ok) return card.errors.map((e) => `  warning: ${e}`);
  const missing = missingProvenance(card.card);
  return missing.length > 0 ? [`  warning: ${provenanceWarning(model, card.card, missing)}`] : [];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { code, lines } = checkShow(process.argv.slice(2));
  (code === 0 ? console.log : console.error)(lines.join('\n'));
  process.exitCode = code;
}
