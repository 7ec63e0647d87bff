/**
 * Recurrent networks by hand and with tfjs: plain-number Elman, Jordan, LSTM and GRU cells with
 * every gate exposed, their mapping onto tfjs's packed kernels, BPTT by hand, sequence data,
 * small recurrent models and the gradient-by-lag measurement.
 *
 * Usage: `import { lstmStep, constantLstmWeights } from '../dist/lib/rnn';`
 */
export * from './math';
export * from './gate';
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
