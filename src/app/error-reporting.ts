import { errorMessage } from '../core/error-message.ts';

/**
 * Uncaught errors go to the kiosk server's log and the scene goes on: an installation must not stop for one
 * failed frame. Reports are rate-limited so an error in the frame loop cannot flood the server.
 */
export class ErrorReporter {
  private sentThisMinute = 0;
  private minuteStart = 0;
  private readonly onError = (e: ErrorEvent): void => this.report('error', e.message, e.error instanceof Error ? e.error.stack : undefined);
  private readonly onRejection = (e: PromiseRejectionEvent): void => {
    const r: unknown = e.reason;
    this.report('error', errorMessage(r), r instanceof Error ? r.stack : undefined);
  };

  constructor(
    private readonly url = '/api/log',
    private readonly perMinute = 30,
    private readonly now: () => number = () => performance.now(),
  ) {
    window.addEventListener('error', this.onError);
    window.addEventListener('unhandledrejection', this.onRejection);
  }

  report(level: 'info' | 'warn' | 'error', message: string, detail?: string): void {
    const t = this.now();
    if (t - this.minuteStart > 60_000) {
      this.minuteStart = t;
      this.sentThisMinute = 0;
    }
    if (++this.sentThisMinute > this.perMinute) return;
    (level === 'error' ? console.error : console.log)(`[sitter] ${message}`);
    void fetch(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ level, message, detail: detail ?? '' }),
    }).catch(() => undefined);
  }

  dispose(): void {
    window.removeEventListener('error', this.onError);
    window.removeEventListener('unhandledrejection', this.onRejection);
  }
}
