/**
 * Chromium flags for an installation (see kiosk/README.md): full screen, no crash bubbles, no translate,
 * no pinch or swipe navigation, autoplay, and no background networking — a gallery PC talks to nobody.
 */
export const KIOSK_FLAGS: readonly string[] = [
  '--kiosk',
  '--noerrdialogs',
  '--disable-infobars',
  '--disable-session-crashed-bubble',
  '--disable-pinch',
  '--overscroll-history-navigation=0',
  '--disable-features=TranslateUI',
  '--no-first-run',
  '--disable-restore-session-state',
  '--autoplay-policy=no-user-gesture-required',
  '--check-for-update-interval=31536000',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--ignore-gpu-blocklist',
];

export interface LaunchFlagOptions {
  readonly url: string;
  readonly profileDir: string;
  /** Extra flags, e.g. a fake camera in tests. */
  readonly extra?: readonly string[];
  /** Window/headless mode for tests and development; galleries use kiosk. */
  readonly headless?: boolean;
}

export function kioskArgs(o: LaunchFlagOptions): string[] {
  const base = o.headless ? KIOSK_FLAGS.filter((f) => f !== '--kiosk').concat('--headless=new', '--no-sandbox') : [...KIOSK_FLAGS];
  return [...base, `--user-data-dir=${o.profileDir}`, ...(o.extra ?? []), o.url];
}
