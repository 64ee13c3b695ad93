import { formatIssue } from './issues.ts';
import type { Show } from './types.ts';
import { validateShow, type ShowResult, type ValidateOptions } from './validate.ts';
import { errorMessage } from '../error-message.ts';

/** Line and column (from 1) of a character offset, for JSON syntax errors an editor can jump to. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * Parses and validates a show file's text. Plain JSON (JSON.parse, no parser dependency); notes go in "$comment"
 * keys. A syntax error comes back as one issue with its line and column.
 */
export function loadShow(text: string, options: ValidateOptions = {}): ShowResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    const message = errorMessage(error);
    const at = /at position (\d+)/.exec(message);
    const where = at ? lineColumn(text, Number(at[1])) : undefined;
    const path = where ? `line ${where.line}, column ${where.column}` : '(show)';
    return { ok: false, issues: [{ path, message: `not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` }] };
  }
  return validateShow(raw, options);
}

/** Throws with every issue listed; for callers (tests, the app) that cannot go on without a show. */
export function loadShowOrThrow(text: string, options: ValidateOptions = {}): Show {
  const result = loadShow(text, options);
  if (result.ok) return result.show;
  throw new Error(`show ${options.name ?? ''} is not valid:\n${result.issues.map(formatIssue).join('\n')}`);
}
