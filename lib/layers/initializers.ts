/**
 * Keras-named weight initialisers with Keras's variances.
 *
 * tfjs 4.22 draws heNormal / glorotNormal / leCunNormal from a normal truncated at two
 * standard deviations without correcting the standard deviation, so the weights come out about
 * 12 % too narrow, and it has no snake_case names. Keras divides the standard deviation by
 * 0.87962566103423978 (the standard deviation of a unit normal truncated to [-2, 2]) so that
 * the truncated draw has exactly variance scale / fan. `VarianceScaling` here does that and is
 * a real tfjs Initializer (registered for serialization as 'KerasVarianceScaling'), so it can
 * be passed as `kernelInitializer` to any tfjs layer.
 *
 * Usage:
 *   tf.layers.dense({ units: 300, activation: 'relu', kernelInitializer: initializer('he_normal') })
 *   new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform' })
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs's Initializer type (the class itself is not exported by @tensorflow/tfjs). */
export type TfInitializer = ReturnType<typeof tf.initializers.ones>;

/** The real tfjs Initializer base class, taken from a built-in initialiser's prototype chain. */
const InitializerBase = Object.getPrototypeOf(tf.initializers.ones().constructor) as abstract new () => TfInitializer;

/** Keras fan modes (the camelCase forms are accepted too, as tfjs's config loader produces them). */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
/** Keras distributions for VarianceScaling. */
export type ScalingDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs {
  /** Default 1. */
  scale?: number;
  /** Default 'fan_in'. */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /** Default 'truncated_normal'. 'normal' is read as 'truncated_normal' (Keras 2's meaning). */
  distribution?: ScalingDistribution | 'truncatedNormal' | 'untruncatedNormal' | 'normal';
  /** Seed for a repeatable draw; without it tfjs uses Math.random (see setGlobalSeed). */
  seed?: number;
}

/** The standard deviation of a unit normal truncated to [-2, 2] (Keras's correction constant). */
export const TRUNCATED_NORMAL_STDDEV_2 = 0.87962566103423978;

/**
 * Keras's fans: a 2-D kernel [in, out] gives (in, out); a conv kernel [..., in, out] multiplies
 * both by the receptive-field size; 1-D gives (n, n); a scalar (1, 1).
 *
 * Usage: `computeFans([3, 3, 64, 128]) // { fanIn: 576, fanOut: 1152 }`
 */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  if (shape.length === 2) return { fanIn: shape[0], fanOut: shape[1] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function normMode(mode: string): FanMode {
  const m = mode.replace(/([A-Z])/g, '_$1').toLowerCase();
  if (m === 'fan_in' || m === 'fan_out' || m === 'fan_avg') return m;
  throw new Error(`VarianceScaling: mode '${mode}' is not one of fan_in, fan_out, fan_avg.`);
}

function normDistribution(d: string): ScalingDistribution {
  const m = d.replace(/([A-Z])/g, '_$1').toLowerCase();
  if (m === 'normal' || m === 'truncated_normal') return 'truncated_normal';
  if (m === 'untruncated_normal' || m === 'uniform') return m;
  throw new Error(`VarianceScaling: distribution '${d}' is not one of truncated_normal, untruncated_normal, uniform.`);
}

/**
 * Keras VarianceScaling: variance scale / fan, drawn from a truncated normal (with the 0.8796
 * correction), an untruncated normal, or a uniform on [-sqrt(3 var), sqrt(3 var)].
 *
 * Usage: `tf.layers.dense({ units: 10, kernelInitializer: new VarianceScaling({ scale: 2, mode: 'fan_avg' }) })`
 */
export class VarianceScaling extends InitializerBase {
  /** @nocollapse */
  static className = 'KerasVarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  readonly seed: number | undefined;

  constructor(args: VarianceScalingArgs = {}) {
    super();
    const scale = args.scale ?? 1;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) throw new Error(`VarianceScaling: scale must be a number > 0, got ${scale}; e.g. 2 for He initialisation.`);
    this.scale = scale;
    this.mode = normMode(args.mode ?? 'fan_in');
    this.distribution = normDistribution(args.distribution ?? 'truncated_normal');
    this.seed = args.seed ?? undefined;
  }

  /** The variance the weights of this shape are drawn with (scale / fan). */
  variance(shape: readonly number[]): number {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    return this.scale / Math.max(1, fan);
  }

  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    const dt = dtype ?? 'float32';
    if (dt !== 'float32') throw new Error(`VarianceScaling draws float32 weights, not ${dt}; use float32 weights.`);
    const variance = this.variance(shape);
    if (this.distribution === 'truncated_normal') {
      return tf.truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV_2, 'float32', this.seed);
    }
    if (this.distribution === 'untruncated_normal') {
      return tf.randomNormal(shape, 0, Math.sqrt(variance), 'float32', this.seed);
    }
    const limit = Math.sqrt(3 * variance);
    return tf.randomUniform(shape, -limit, limit, 'float32', this.seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    const c: tf.serialization.ConfigDict = { scale: this.scale, mode: this.mode, distribution: this.distribution };
    if (this.seed !== undefined) c.seed = this.seed;
    return c;
  }

  /** @nocollapse */
  static fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const Ctor = cls as unknown as new (args: VarianceScalingArgs) => T;
    return new Ctor({
      scale: config.scale as number,
      mode: config.mode as VarianceScalingArgs['mode'],
      distribution: config.distribution as VarianceScalingArgs['distribution'],
      seed: (config.seed as number | null | undefined) ?? undefined,
    });
  }
}
tf.serialization.registerClass(VarianceScaling as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** The Keras initialiser names `initializer` understands (camelCase forms are accepted too). */
export type KerasInitializerName =
  | 'he_normal' | 'he_uniform' | 'glorot_normal' | 'glorot_uniform' | 'lecun_normal' | 'lecun_uniform'
  | 'zeros' | 'ones' | 'random_normal' | 'random_uniform' | 'truncated_normal' | 'orthogonal' | 'variance_scaling';

const SCALING: Record<string, VarianceScalingArgs> = {
  he_normal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  he_uniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  glorot_normal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  glorot_uniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  lecun_normal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
  lecun_uniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  variance_scaling: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/^le_cun/, 'lecun');
}

/**
 * A Keras initialiser by name, with Keras's variances and defaults: he/glorot/lecun normal
 * (truncated, corrected) and uniform; zeros; ones; random_normal (stddev 0.05);
 * random_uniform (+-0.05); truncated_normal (stddev 0.05); orthogonal (gain 1);
 * variance_scaling (scale 1, fan_in, truncated_normal).
 *
 * Usage: `tf.layers.dense({ units: 100, kernelInitializer: initializer('he_normal') })`
 */
export function initializer(name: KerasInitializerName | string, options: { seed?: number } = {}): TfInitializer {
  const key = snake(name);
  const scaling = SCALING[key];
  if (scaling) return new VarianceScaling({ ...scaling, seed: options.seed });
  switch (key) {
    case 'zeros': return tf.initializers.zeros();
    case 'ones': return tf.initializers.ones();
    case 'random_normal': return tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed: options.seed });
    case 'random_uniform': return tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: options.seed });
    case 'truncated_normal': return tf.initializers.truncatedNormal({ mean: 0, stddev: 0.05, seed: options.seed });
    case 'orthogonal': return tf.initializers.orthogonal({ gain: 1, seed: options.seed });
    default:
      throw new Error(`initializer: unknown name '${name}'; use one of ${[...Object.keys(SCALING), 'zeros', 'ones', 'random_normal', 'random_uniform', 'truncated_normal', 'orthogonal'].join(', ')}.`);
  }
}

/** A Keras name or an initialiser object. */
export type InitializerSpec = KerasInitializerName | TfInitializer;

/**
 * Resolves a Keras name or passes an initialiser through.
 *
 * Usage: `resolveInitializer('he_normal')`
 */
export function resolveInitializer(spec: InitializerSpec | string): TfInitializer {
  return typeof spec === 'string' ? initializer(spec) : spec;
}
