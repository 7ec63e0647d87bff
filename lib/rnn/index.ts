/**
 * Recurrent networks by hand and with tfjs: plain-number Elman, Jordan, LSTM and GRU cells with
 * every gate exposed, their mapping onto tfjs's packed kernels, BPTT by hand, sequence data,
 * small recurrent models and the gradient-by-lag measurement.
 *
 * Usage: `import { lstmStep, constantLstmWeights } from '../dist/lib/rnn';`
 */
// The vector helpers stay internal (lib/vision has its own matVec/checkSize); only the
// activations and the two array types are public, the types under rnn-specific names.
export { activate, activationDerivative, sigmoid, type ActivationName, type Matrix as RnnMatrix, type Vector as RnnVector } from './math';
export { constantGate, gatePreactivation, gateSizes, randomGate, type CellSizes, type GateWeights } from './gate';
export * from './elman';
export * from './jordan';
export * from './lstm';
export * from './gru';
export * from './tfjs-weights';
export * from './bptt';
export * from './bptt-autodiff';
export * from './sequences';
export * from './forget-bias';
export * from './models';
export * from './gradient-lag';
