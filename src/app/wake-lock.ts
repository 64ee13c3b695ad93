/**
 * Keeps the screen awake from inside the page (the OS side is xset/DPMS, see kiosk/systemd). The lock is released
 * whenever the page is hidden, so it is requested again on every return to visible.
 */
export class ScreenWakeLock {
  private sentinel: WakeLockSentinel | null = null;
  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'visible') void this.request();
  };

  constructor() {
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.request();
  }

  private async request(): Promise<void> {
    if (!('wakeLock' in navigator)) return;
    try {
      this.sentinel = await navigator.wakeLock.request('screen');
    } catch {
      // Refused (hidden page, policy): the OS-side settings still keep the screen on.
    }
  }

  dispose(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    void this.sentinel?.release().catch(() => undefined);
    this.sentinel = null;
  }
}
