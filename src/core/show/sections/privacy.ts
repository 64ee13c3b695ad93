import { joinKey, type Reporter } from '../issues.ts';
import { readBool, readObject } from '../read.ts';
import type { PrivacyConfig } from '../types.ts';

/** Frame capture is off unless a show says otherwise in so many words: a gallery must not keep visitors' images. */
export function readPrivacy(r: Reporter, raw: unknown, path: string): PrivacyConfig {
  const o = readObject(r, raw, path, ['allowFrameCapture']) ?? {};
  return { allowFrameCapture: readBool(r, o.allowFrameCapture, joinKey(path, 'allowFrameCapture'), false) };
}
