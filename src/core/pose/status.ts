import type { SitterBus } from '../params/catalogue.ts';
import type { PoseFeatures } from './tracker.ts';

/**
 * Publishes what the camera sees as the app's own status values: `status/presence` (engage mode) and
 * `status/people`. The bus only notifies on change, so calling this on every detection is cheap.
 */
export function reportPoseStatus(bus: SitterBus, features: Readonly<PoseFeatures>): void {
  bus.report('status/presence', features.presence >= 0.5);
  bus.report('status/people', Math.min(16, Math.max(0, Math.round(features.people))));
}
