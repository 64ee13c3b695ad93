import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  readonly level: LogLevel;
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface Logger {
  log(record: LogRecord): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  /** Errors logged in the last hour, for /health. */
  recentErrors(nowMs?: number): number;
}

export interface FileLoggerOptions {
  /** JSON-lines file; rotated to .1 … .keep when it passes maxBytes. Omit to log to the console only. */
  readonly file?: string;
  readonly maxBytes?: number;
  readonly keep?: number;
  readonly echo?: boolean;
  readonly now?: () => number;
}

/**
 * Structured logs as JSON lines, rotated by size so weeks unattended never fill the disk
 * (at the defaults: at most 6 × 5 MB).
 */
export function createLogger(options: FileLoggerOptions = {}): Logger {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = options.keep ?? 5;
  const now = options.now ?? Date.now;
  const errorTimes: number[] = [];
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });

  const rotate = (file: string): void => {
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    renameSync(file, `${file}.1`);
  };

  const pruneErrors = (t: number): void => {
    while (errorTimes.length > 0 && (errorTimes[0] as number) < t - 3_600_000) errorTimes.shift();
  };

  const log = (record: LogRecord): void => {
    const t = now();
    const line = JSON.stringify({ time: new Date(t).toISOString(), ...record });
    if (record.level === 'error') {
      errorTimes.push(t);
      pruneErrors(t);
      // Bounded even under an error storm: the count only needs the last hour, capped.
      if (errorTimes.length > 10_000) errorTimes.splice(0, errorTimes.length - 10_000);
    }
    if (options.echo ?? !options.file) {
      (record.level === 'error' || record.level === 'warn' ? console.error : console.log)(line);
    }
    if (options.file) {
      if (existsSync(options.file) && statSync(options.file).size > maxBytes) rotate(options.file);
      appendFileSync(options.file, `${line}\n`);
    }
  };

  return {
    log,
    info: (event, fields = {}) => log({ ...fields, level: 'info', event }),
    warn: (event, fields = {}) => log({ ...fields, level: 'warn', event }),
    error: (event, fields = {}) => log({ ...fields, level: 'error', event }),
    recentErrors: (t = now()) => {
      pruneErrors(t);
      return errorTimes.length;
    },
  };
}

/** At most `perSecond` lines per event name each second: a hostile page looping requests must not flood the log. */
export function limitedWarn(logger: Pick<Logger, 'warn'>, perSecond = 5, now: () => number = Date.now): (event: string, fields: Record<string, unknown>) => void {
  const windows = new Map<string, { start: number; count: number; suppressed: number }>();
  return (event, fields) => {
    const t = now();
    let w = windows.get(event);
    if (!w || t - w.start >= 1000 || t < w.start) {
      w = { start: t, count: 0, suppressed: w?.suppressed ?? 0 };
      windows.set(event, w);
    }
    if (w.count >= perSecond) {
      w.suppressed++;
      return;
    }
    w.count++;
    const suppressed = w.suppressed;
    w.suppressed = 0;
    logger.warn(event, suppressed > 0 ? { ...fields, suppressed } : fields);
  };
}
