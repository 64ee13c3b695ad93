import type { ParamSpec } from '../../params/types.ts';
import { joinKey, type Reporter } from '../issues.ts';
import { readBool, readEnum, readNullableString, readNumber, readObject, readString, SECONDS, type NumberRule } from '../read.ts';
import type { PoseConfig } from '../types.ts';
import { readMappings } from './mappings.ts';

export const DEFAULT_NOTICE = 'This artwork reacts to your pose through a camera. No image is stored or sent anywhere.';
/** Said instead when the show allows frames to be kept: a visitor must never be told less than the truth. */
export const CAPTURE_NOTICE = 'This artwork reacts to your pose through a camera, and camera images may be recorded.';

/**
 * Defaults: the lite model on the CPU delegate (the GPU delegate is slow or absent on small kiosk machines, and
 * lite is ~25 ms per frame on 2 cores); presence enters fast and leaves slowly so a visitor who turns away for a
 * moment does not drop the piece into attract mode; One-Euro values are Casiez et al. 2012's starting point
 * (min cutoff 1 Hz, derivative cutoff 1 Hz) with a small beta against lag on fast moves.
 */
export const DEFAULT_POSE: PoseConfig = {
  enabled: false,
  camera: { deviceId: null, label: null, width: 640, height: 480 },
  delegate: 'CPU',
  model: 'lite',
  maxPeople: 1,
  presence: { enterSeconds: 0.5, leaveSeconds: 3 },
  heldSeconds: 2,
  filter: { minCutoff: 1, beta: 0.007, derivativeCutoff: 1 },
  privacyNotice: { enabled: true, text: DEFAULT_NOTICE },
  mappings: [],
};

const POSE_KEYS = ['enabled', 'camera', 'delegate', 'model', 'maxPeople', 'presence', 'heldSeconds', 'filter', 'privacyNotice', 'mappings'];
const CAMERA_KEYS = ['deviceId', 'label', 'width', 'height'];
const PIXELS: NumberRule = { expected: 'a whole number of pixels from 64 to 4096', min: 64, max: 4096, integer: true };
const HERTZ: NumberRule = { expected: 'a frequency in Hz > 0', above: 0 };

export function readPose(
  r: Reporter, raw: unknown, path: string, specs: readonly ParamSpec[], allowFrameCapture: boolean,
): PoseConfig {
  const d = DEFAULT_POSE;
  const o = readObject(r, raw, path, POSE_KEYS) ?? {};
  const at = (key: string): string => joinKey(path, key);
  const cam = readObject(r, o.camera, at('camera'), CAMERA_KEYS) ?? {};
  const camAt = (key: string): string => joinKey(at('camera'), key);
  const presence = readObject(r, o.presence, at('presence'), ['enterSeconds', 'leaveSeconds']) ?? {};
  const filter = readObject(r, o.filter, at('filter'), ['minCutoff', 'beta', 'derivativeCutoff']) ?? {};
  const notice = readObject(r, o.privacyNotice, at('privacyNotice'), ['enabled', 'text']) ?? {};
  const noticeAt = (key: string): string => joinKey(at('privacyNotice'), key);
  const enabled = readBool(r, o.enabled, at('enabled'), d.enabled);
  const noticeEnabled = readBool(r, notice.enabled, noticeAt('enabled'), d.privacyNotice.enabled);
  if (enabled && allowFrameCapture && !noticeEnabled) {
    r.add(noticeAt('enabled'), 'expected true while privacy.allowFrameCapture is true (visitors must be told frames may be kept), got false');
  }
  const nonEmpty = (s: string): boolean => s.trim().length > 0;
  return {
    enabled,
    camera: {
      deviceId: readNullableString(r, cam.deviceId, camAt('deviceId'), 'a device id', d.camera.deviceId, nonEmpty),
      label: readNullableString(r, cam.label, camAt('label'), 'part of a camera label', d.camera.label, nonEmpty),
      width: readNumber(r, cam.width, camAt('width'), PIXELS, d.camera.width),
      height: readNumber(r, cam.height, camAt('height'), PIXELS, d.camera.height),
    },
    delegate: readEnum(r, o.delegate, at('delegate'), ['CPU', 'GPU'] as const, d.delegate),
    model: readEnum(r, o.model, at('model'), ['lite', 'full', 'heavy'] as const, d.model),
    maxPeople: readNumber(r, o.maxPeople, at('maxPeople'), { expected: 'a whole number from 1 to 16', min: 1, max: 16, integer: true }, d.maxPeople),
    presence: {
      enterSeconds: readNumber(r, presence.enterSeconds, joinKey(at('presence'), 'enterSeconds'), SECONDS, d.presence.enterSeconds),
      leaveSeconds: readNumber(r, presence.leaveSeconds, joinKey(at('presence'), 'leaveSeconds'), SECONDS, d.presence.leaveSeconds),
    },
    heldSeconds: readNumber(r, o.heldSeconds, at('heldSeconds'), { expected: 'a number of seconds > 0', above: 0 }, d.heldSeconds),
    filter: {
      minCutoff: readNumber(r, filter.minCutoff, joinKey(at('filter'), 'minCutoff'), HERTZ, d.filter.minCutoff),
      beta: readNumber(r, filter.beta, joinKey(at('filter'), 'beta'), { expected: 'a number ≥ 0', min: 0 }, d.filter.beta),
      derivativeCutoff: readNumber(r, filter.derivativeCutoff, joinKey(at('filter'), 'derivativeCutoff'), HERTZ, d.filter.derivativeCutoff),
    },
    privacyNotice: {
      enabled: noticeEnabled,
      text: readString(r, notice.text, noticeAt('text'), 'a non-empty text', allowFrameCapture ? CAPTURE_NOTICE : DEFAULT_NOTICE, nonEmpty),
    },
    mappings: readMappings(r, o.mappings, at('mappings'), specs),
  };
}
