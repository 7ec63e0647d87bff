/**
 * Keras activation and regularisation layers that tfjs 4.22 lacks or gets wrong:
 * - `LeakyReLU({ negativeSlope })`: tfjs's layer reads `alpha` and silently ignores Keras 3's
 *   `negative_slope` (you get 0.3 whatever you ask for).
 * - `AlphaDropout(rate)`: tfjs sets dropped units to +1.758 (its training mean is about 0.61);
 *   Keras sets them to alpha' = -1.7580993408473766 and applies a*x + b so that mean 0 and
 *   variance 1 are kept. Only active in training.
 * - `ActivityRegularization({ l1, l2 })`: an identity layer that adds l1 * sum|a| + l2 * sum a^2
 *   over the batch to the loss, the way Keras 3 adds an activity penalty (tfjs's
 *   activityRegularizer throws). Put it after a Dense layer for a sparse autoencoder.
 * All three are registered for serialization (class names TsdlLeakyReLU, TsdlAlphaDropout,
 * TsdlActivityRegularization).
 *
 * Usage:
 *   tf.sequential({ layers: [dense({ units: 300, inputShape: [784] }), new LeakyReLU({ negativeSlope: 0.2 })] })
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

function single(inputs: tf.Tensor | tf.Tensor[], who: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`${who} takes one input tensor, got ${inputs.length}; apply it to a single tensor.`);
    return inputs[0];
  }
  return inputs;
}

/** SELU's alpha (Klambauer et al. 2017), as Keras and tf.selu use it. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** SELU's scale lambda (Klambauer et al. 2017), as Keras and tf.selu use it. */
export const SELU_SCALE = 1.0507009873554804934193349852946;
/**
 * SELU_SCALE * SELU_ALPHA as tfjs-core's selu_util writes it (its gradient for x <= 0 uses it).
 *
 * Usage: `dy * SELU_SCALE_ALPHA * exp(x)` for x <= 0
 */
export const SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0; Keras 3's default is 0.3 (the seed uses 0.2). */
  negativeSlope?: number;
}

/**
 * Keras 3 LeakyReLU: x for x >= 0, negativeSlope * x otherwise.
 *
 * Usage: `new LeakyReLU({ negativeSlope: 0.2 })`
 */
export class LeakyReLU extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'TsdlLeakyReLU';
  readonly negativeSlope: number;
  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    const s = args.negativeSlope ?? 0.3;
    if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) throw new Error(`LeakyReLU: negativeSlope must be a number >= 0, got ${s}; e.g. 0.2.`);
    this.negativeSlope = s;
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.leakyRelu(single(inputs, 'LeakyReLU'), this.negativeSlope));
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
tf.serialization.registerClass(LeakyReLU);

/** Factory form of LeakyReLU. Usage: `leakyReLU({ negativeSlope: 0.2 })` */
export function leakyReLU(args: LeakyReLUArgs = {}): LeakyReLU {
  return new LeakyReLU(args);
}

export interface AlphaDropoutArgs extends LayerArgs {
  /** Fraction of units dropped, in [0, 1). */
  rate: number;
  /** Seed for repeatable masks; without it tfjs uses Math.random (see setGlobalSeed). */
  seed?: number;
}

/**
 * Keras AlphaDropout for SELU networks: in training, each unit is kept with probability
 * 1 - rate and otherwise set to alpha' = -SELU_SCALE * SELU_ALPHA, then a * x + b with
 * a = ((1 - rate)(1 + rate alpha'^2))^-1/2 and b = -a alpha' rate; identity at inference.
 *
 * Usage: `new AlphaDropout({ rate: 0.1 })`
 */
export class AlphaDropout extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'TsdlAlphaDropout';
  /** alpha' = -scale * alpha, the value a dropped unit takes before the affine correction. */
  static readonly ALPHA_PRIME = -SELU_SCALE * SELU_ALPHA;
  readonly rate: number;
  readonly seed: number | undefined;
  constructor(args: AlphaDropoutArgs) {
    super(args);
    if (typeof args?.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) throw new Error(`AlphaDropout: rate must be in [0, 1), got ${args?.rate}; e.g. { rate: 0.1 }.`);
    this.rate = args.rate;
    this.seed = args.seed;
  }
  /** The affine correction (a, b) for this rate. */
  affine(): { a: number; b: number } {
    const p = this.rate;
    const ap = AlphaDropout.ALPHA_PRIME;
    const a = Math.pow((1 - p) * (1 + p * ap * ap), -0.5);
    return { a, b: -a * ap * p };
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = single(inputs, 'AlphaDropout');
    const training = kwargs?.training === true;
    if (!training || this.rate === 0) return tf.clone(x);
    return tf.tidy(() => {
      const { a, b } = this.affine();
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', this.seed), this.rate), x.dtype);
      const dropped = tf.add(tf.mul(x, keep), tf.mul(tf.sub(1, keep), AlphaDropout.ALPHA_PRIME));
      return tf.add(tf.mul(dropped, a), b);
    });
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
  override getConfig(): tf.serialization.ConfigDict {
    const c: tf.serialization.ConfigDict = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) c.seed = this.seed;
    return c;
  }
}
tf.serialization.registerClass(AlphaDropout);

/** Factory form of AlphaDropout. Usage: `alphaDropout(0.1)` */
export function alphaDropout(rate: number, args: Omit<AlphaDropoutArgs, 'rate'> = {}): AlphaDropout {
  return new AlphaDropout({ ...args, rate });
}

export interface ActivityRegularizationArgs extends LayerArgs {
  /** Rate of the L1 penalty on the activations (default 0). */
  l1?: number;
  /** Rate of the L2 penalty on the activations (default 0). */
  l2?: number;
  /**
   * 'sum' (default): l1 * sum|a| + l2 * sum a^2 over the whole batch, as Keras 3 adds it.
   * 'batchMean': the same divided by the batch size, as tf.keras 2 did.
   */
  reduction?: 'sum' | 'batchMean';
}

/**
 * Identity layer that adds an activity penalty on its inputs to the model's loss (Keras's
 * ActivityRegularization). The penalty of the latest call is kept as one scalar and read by the
 * training loss (tfjs calls `calculateLosses()` after the forward pass), so it is
 * differentiated along with the data loss; `lastPenalty()` returns its value.
 *
 * Usage: `model.add(dense({ units: 300, activation: 'sigmoid' })); model.add(new ActivityRegularization({ l1: 1e-3 }));`
 */
export class ActivityRegularization extends tf.layers.Layer {
  /** @nocollapse */
  static className = 'TsdlActivityRegularization';
  readonly l1: number;
  readonly l2: number;
  readonly reduction: 'sum' | 'batchMean';
  private penalty: tf.Scalar | null = null;
  constructor(args: ActivityRegularizationArgs = {}) {
    super(args);
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
    this.reduction = args.reduction ?? 'sum';
    for (const [k, v] of [['l1', this.l1], ['l2', this.l2]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`ActivityRegularization: ${k} must be a number >= 0, got ${v}; e.g. { l1: 1e-3 }.`);
    }
    if (this.reduction !== 'sum' && this.reduction !== 'batchMean') throw new Error(`ActivityRegularization: reduction must be 'sum' or 'batchMean', got '${String(this.reduction)}'.`);
    this.supportsMasking = true;
    this.addLoss(() => (this.penalty !== null && !this.penalty.isDisposed ? this.penalty : tf.scalar(0)));
  }
  /** The penalty for a tensor of activations (a new scalar). */
  penaltyFor(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      let p: tf.Tensor = tf.scalar(0);
      if (this.l1 > 0) p = tf.add(p, tf.mul(this.l1, tf.sum(tf.abs(x))));
      if (this.l2 > 0) p = tf.add(p, tf.mul(this.l2, tf.sum(tf.square(x))));
      if (this.reduction === 'batchMean' && x.shape.length > 0) p = tf.div(p, x.shape[0]);
      return p as tf.Scalar;
    });
  }
  /** The value of the penalty of the latest call (0 before any call). */
  lastPenalty(): number {
    return this.penalty !== null && !this.penalty.isDisposed ? this.penalty.dataSync()[0] : 0;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = single(inputs, 'ActivityRegularization');
    const p = tf.keep(this.penaltyFor(x));
    if (this.penalty !== null) this.penalty.dispose();
    this.penalty = p;
    return tf.clone(x);
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2, reduction: this.reduction };
  }
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    if (this.penalty !== null) {
      this.penalty.dispose();
      this.penalty = null;
    }
    return super.dispose();
  }
}
tf.serialization.registerClass(ActivityRegularization);

/** Factory form of ActivityRegularization. Usage: `activityRegularization({ l1: 1e-4 })` */
export function activityRegularization(args: ActivityRegularizationArgs = {}): ActivityRegularization {
  return new ActivityRegularization(args);
}
