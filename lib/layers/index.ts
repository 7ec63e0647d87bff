/**
 * Keras-named initialisers, regularisers and the layers tfjs lacks or gets wrong, and the
 * autoencoders' custom layers (DenseTranspose, SparsityRegularization, Sampling; all registered
 * for serialisation).
 *
 * Usage: `import { initializer, LeakyReLU, AlphaDropout, ActivityRegularization, l2, dense } from '../dist/lib/layers';`
 */
export { initializer, resolveInitializer, VarianceScaling, computeFans, TRUNCATED_NORMAL_STDDEV_2 } from './initializers';
export type { KerasInitializerName, InitializerSpec, TfInitializer, VarianceScalingArgs, FanMode, ScalingDistribution } from './initializers';
export { l1, l2, l1_l2, penaltyOf } from './regularizers';
export type { TfRegularizer } from './regularizers';
export {
  LeakyReLU, leakyReLU, AlphaDropout, alphaDropout, ActivityRegularization, activityRegularization, SELU_ALPHA, SELU_SCALE, SELU_SCALE_ALPHA,
} from './activations';
export type { LeakyReLUArgs, AlphaDropoutArgs, ActivityRegularizationArgs } from './activations';
export { dense, conv2d } from './keras-defaults';
export type { KerasDenseArgs, KerasConv2DArgs } from './keras-defaults';
export { activationFn, isActivationName } from './autoencoder-activations';
export type { AutoencoderActivation } from './autoencoder-activations';
export { DenseTranspose, tieDenseTransposes } from './dense-transpose';
export type { DenseTransposeArgs } from './dense-transpose';
export { PenaltyLayer } from './penalty-layer';
export { SparsityRegularization, klSparsity, l1Activity } from './sparsity';
export type { SparsityOptions, SparsityRegularizationArgs } from './sparsity';
export { Sampling, klDivergence } from './sampling';
export type { SamplingArgs } from './sampling';
