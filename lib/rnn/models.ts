/**
 * Small recurrent models for the notebook: the four RNN shapes and the sequence regressors
 * compared on the adding problem. Layers are configured like Keras 2 defaults where tfjs
 * differs: recurrentActivation 'sigmoid' (tfjs defaults to 'hardSigmoid') and, for the LSTM,
 * a forget-gate bias starting at 1 (Keras's unit_forget_bias; tfjs defaults to 0, and its own
 * `unitForgetBias: true` leaks tensors in 4.22, so `UnitForgetBias` does it instead).
 *
 * Usage:
 *   const m = sequenceRegressor('lstm', { steps: 50, features: 2, units: 32 });
 *   m.countParams() === recurrentParamCount('lstm', 2, 32) + 33
 */
import * as tf from '@tensorflow/tfjs';
import { UnitForgetBias } from './forget-bias';
import { checkSize } from './math';

/** The recurrent layers tfjs provides. */
export type RecurrentKind = 'simpleRNN' | 'lstm' | 'gru';
/** A recurrent layer kind, or a bidirectional LSTM. */
export type SequenceModelKind = RecurrentKind | 'biLSTM';
/** The four RNN input/output shapes of the seed. */
export type RnnShape = 'one-to-many' | 'many-to-one' | 'many-to-many' | 'seq2seq';

/** The plain recurrent layers. */
export const RECURRENT_KINDS: readonly RecurrentKind[] = ['simpleRNN', 'lstm', 'gru'];
/** All four shapes, in the seed's order. */
export const RNN_SHAPES: readonly RnnShape[] = ['one-to-many', 'many-to-one', 'many-to-many', 'seq2seq'];
/** The kinds compared in the notebook, in the seed's order plus the bidirectional LSTM. */
export const SEQUENCE_MODEL_KINDS: readonly SequenceModelKind[] = ['simpleRNN', 'lstm', 'gru', 'biLSTM'];

function checkKind(kind: string): void {
  if (!(SEQUENCE_MODEL_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown recurrent kind '${kind}'; use one of ${SEQUENCE_MODEL_KINDS.join(', ')}.`);
  }
}

/**
 * One recurrent layer configured as described above.
 * Usage: `recurrentLayer('gru', { units: 8, returnSequences: true, inputShape: [10, 1] })`
 */
export function recurrentLayer(
  kind: RecurrentKind,
  o: { units: number; returnSequences?: boolean; inputShape?: (number | null)[]; name?: string; seed?: number },
): tf.layers.Layer {
  if (!(RECURRENT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`recurrentLayer: unknown kind '${String(kind)}'; use ${RECURRENT_KINDS.join(', ')} (for a bidirectional LSTM use bidirectionalLstm()).`);
  }
  checkSize(o.units, 'units');
  const base = { units: o.units, returnSequences: o.returnSequences ?? false, inputShape: o.inputShape, name: o.name };
  if (kind === 'simpleRNN') return tf.layers.simpleRNN(base);
  if (kind === 'lstm') return tf.layers.lstm({ ...base, recurrentActivation: 'sigmoid', biasInitializer: new UnitForgetBias() });
  return tf.layers.gru({ ...base, recurrentActivation: 'sigmoid' });
}

/** A bidirectional LSTM (outputs concatenated: 2 x units features). Usage: `bidirectionalLstm({ units: 16, inputShape: [50, 2] })` */
export function bidirectionalLstm(o: { units: number; returnSequences?: boolean; inputShape?: (number | null)[]; name?: string }): tf.layers.Layer {
  checkSize(o.units, 'units');
  const inner = tf.layers.lstm({ units: o.units, returnSequences: o.returnSequences ?? false, recurrentActivation: 'sigmoid', biasInitializer: new UnitForgetBias() });
  return tf.layers.bidirectional({ layer: inner as unknown as tf.RNN, mergeMode: 'concat', inputShape: o.inputShape, name: o.name });
}

/**
 * Parameters of one recurrent layer with `inputs` features and `units` units:
 *   SimpleRNN u(i + u + 1), LSTM 4u(i + u + 1), GRU 3u(i + u + 1) (reset before the matmul: one
 *   bias; Keras's reset_after GRU has 3u(i + u + 2)), biLSTM twice the LSTM.
 * Usage: `recurrentParamCount('lstm', 1, 1) // 12`
 */
export function recurrentParamCount(kind: SequenceModelKind, inputs: number, units: number): number {
  checkKind(kind);
  checkSize(inputs, 'inputs');
  checkSize(units, 'units');
  const one = units * (inputs + units + 1);
  switch (kind) {
    case 'simpleRNN':
      return one;
    case 'lstm':
      return 4 * one;
    case 'gru':
      return 3 * one;
    case 'biLSTM':
      return 8 * one;
  }
}

/**
 * Many-to-one regressor: a recurrent layer (or biLSTM) over [steps, features], then Dense(outputs).
 * Usage: `sequenceRegressor('gru', { steps: 50, features: 2, units: 32 })`
 */
export function sequenceRegressor(kind: SequenceModelKind, o: { steps: number; features: number; units: number; outputs?: number }): tf.Sequential {
  checkKind(kind);
  checkSize(o.steps, 'steps');
  checkSize(o.features, 'features');
  const inputShape = [o.steps, o.features];
  const rec = kind === 'biLSTM'
    ? bidirectionalLstm({ units: o.units, inputShape, name: 'bilstm' })
    : recurrentLayer(kind, { units: o.units, inputShape, name: kind.toLowerCase() });
  return tf.sequential({ name: `${kind}_regressor`, layers: [rec, tf.layers.dense({ units: o.outputs ?? 1, name: 'out' })] });
}

/** Sizes of the shape demonstrations. */
export interface RnnShapeSizes {
  /** Input steps (ignored by one-to-many, whose input is one vector). */
  inSteps: number;
  /** Output steps (one-to-many and seq2seq; many-to-many outputs inSteps steps, many-to-one 1). */
  outSteps: number;
  features: number;
  units: number;
  outputs: number;
  /** Recurrent layer kind (default 'simpleRNN'). */
  kind?: RecurrentKind;
}

/**
 * A small model of one of the four RNN shapes:
 *   one-to-many:  [features] -> RepeatVector(outSteps) -> RNN(seq) -> TimeDistributed(Dense)  => [outSteps, outputs]
 *   many-to-one:  [inSteps, features] -> RNN -> Dense                                      => [outputs]
 *   many-to-many: [inSteps, features] -> RNN(seq) -> TimeDistributed(Dense)                 => [inSteps, outputs]
 *   seq2seq:      [inSteps, features] -> encoder RNN -> RepeatVector(outSteps) -> decoder RNN(seq) -> TimeDistributed(Dense) => [outSteps, outputs]
 * Usage: `rnnShapeModel('seq2seq', { inSteps: 6, outSteps: 4, features: 1, units: 8, outputs: 1 })`
 */
export function rnnShapeModel(shape: RnnShape, s: RnnShapeSizes): tf.Sequential {
  if (!RNN_SHAPES.includes(shape)) throw new Error(`rnnShapeModel: unknown shape '${String(shape)}'; use one of ${RNN_SHAPES.join(', ')}.`);
  for (const k of ['inSteps', 'outSteps', 'features', 'units', 'outputs'] as const) checkSize(s[k], k);
  const kind = s.kind ?? 'simpleRNN';
  const head = (): tf.layers.Layer => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: s.outputs }), name: 'per_step_out' });
  const name = shape.replace(/-/g, '_');
  switch (shape) {
    case 'one-to-many':
      return tf.sequential({
        name,
        layers: [
          tf.layers.repeatVector({ n: s.outSteps, inputShape: [s.features], name: 'repeat_input' }),
          recurrentLayer(kind, { units: s.units, returnSequences: true, name: 'rnn' }),
          head(),
        ],
      });
    case 'many-to-one':
      return tf.sequential({
        name,
        layers: [recurrentLayer(kind, { units: s.units, inputShape: [s.inSteps, s.features], name: 'rnn' }), tf.layers.dense({ units: s.outputs, name: 'out' })],
      });
    case 'many-to-many':
      return tf.sequential({
        name,
        layers: [recurrentLayer(kind, { units: s.units, returnSequences: true, inputShape: [s.inSteps, s.features], name: 'rnn' }), head()],
      });
    case 'seq2seq':
      return tf.sequential({
        name,
        layers: [
          recurrentLayer(kind, { units: s.units, inputShape: [s.inSteps, s.features], name: 'encoder' }),
          tf.layers.repeatVector({ n: s.outSteps, name: 'repeat_context' }),
          recurrentLayer(kind, { units: s.units, returnSequences: true, name: 'decoder' }),
          head(),
        ],
      });
  }
}
