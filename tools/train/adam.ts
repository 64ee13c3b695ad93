// Adam with all state in plain variables and bias corrections computed in
// float64 from the step count. tf.train.adam restores its beta powers with
// pow() but advances them by repeated multiplication, so a resumed run would
// differ in the last bits; this one resumes bit-identically.
import * as tf from '@tensorflow/tfjs';

export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export class Adam {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  t = 0;

  constructor(
    private readonly vars: tf.Variable[],
    private readonly opt: AdamOptions,
    readonly prefix: string,
  ) {
    this.m = vars.map((x) => tf.variable(tf.zerosLike(x), false, `${prefix}_m_${x.name}`));
    this.v = vars.map((x) => tf.variable(tf.zerosLike(x), false, `${prefix}_v_${x.name}`));
  }

  apply(grads: tf.Tensor[]): void {
    this.t += 1;
    const { lr, beta1, beta2, eps } = this.opt;
    const lrT = (lr * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    tf.tidy(() => {
      this.vars.forEach((x, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        x.assign(tf.sub(x, tf.div(tf.mul(m, lrT), tf.add(tf.sqrt(v), eps))));
      });
    });
  }
}
