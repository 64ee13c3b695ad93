import * as tf from '@tensorflow/tfjs';
import type { SitterBus } from '../core/params/catalogue.ts';
import type { Generator } from './generator.ts';

/** Live tfjs tensors and their bytes, as tf.memory() counts them (GPU textures included). */
export interface TensorMemory {
  readonly tensors: number;
  readonly bytes: number;
}

/**
 * Writes the generator's status parameters (declared in core/params/catalogue.ts) so the HUD, OSC feedback and
 * the soak test see them, and returns the memory figures for the kiosk's vitals. Call it at a low rate (once a second): tf.memory() walks tfjs's registry.
 */
export function reportGeneratorStatus(bus: Pick<SitterBus, 'report'>, generator: Generator | null): TensorMemory {
  if (!generator) {
    bus.report('status/backend', 'none');
    return { tensors: 0, bytes: 0 };
  }
  const s = generator.stats();
  const m = tf.memory();
  bus.report('status/backend', s.backend);
  bus.report('status/generator-ms', s.lastMsPerFrame);
  bus.report('status/tensors', m.numTensors);
  return { tensors: m.numTensors, bytes: m.numBytes };
}
