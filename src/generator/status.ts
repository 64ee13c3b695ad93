import * as tf from '@tensorflow/tfjs';
import type { ParameterBus } from '../core/params/bus.ts';
import type { Generator } from './generator.ts';

/**
 * Writes the generator's status parameters (declared in core/params/catalogue.ts) so the HUD, OSC feedback and
 * the soak test see them. Call it at a low rate (once a second): tf.memory() walks tfjs's registry.
 */
export function reportGeneratorStatus(bus: Pick<ParameterBus, 'report'>, generator: Generator | null): void {
  if (!generator) {
    bus.report('status/backend', 'none');
    return;
  }
  const s = generator.stats();
  bus.report('status/backend', s.backend);
  bus.report('status/generator-ms', s.lastMsPerFrame);
  bus.report('status/tensors', tf.memory().numTensors);
}
