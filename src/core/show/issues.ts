import { describeGot } from '../params/coerce.ts';

/** One problem in a show file: where it is (`cues[3].fade`) and what is wrong there. */
export interface ShowIssue {
  readonly path: string;
  readonly message: string;
}

/** `cues[3].fade: expected a number of seconds ≥ 0, got "fast"` — the one line an operator reads. */
export function formatIssue(issue: ShowIssue): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a key the way a reader would type it in JS: `pose.camera`, `params["grade/contrast"]`. */
export function joinKey(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function joinIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/**
 * Collects every issue of one validation run. Section readers keep going after a problem (falling back to the
 * default) so that one run reports everything wrong with a file, not just the first thing.
 */
export class Reporter {
  readonly issues: ShowIssue[] = [];

  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** The usual shape: "expected <what the schema wants>, got <what the file holds>". */
  expected(path: string, expected: string, got: unknown): void {
    this.add(path, `expected ${expected}, got ${describeGot(got)}`);
  }
}
