/**
 * Maps the hand-written cells' per-gate weights onto tfjs's packed recurrent kernels, and back.
 *
 * tfjs (like Keras) computes `x @ kernel + h @ recurrentKernel + bias`, with
 *   kernel: [inputs, k*units], recurrentKernel: [units, k*units], bias: [k*units],
 * the k gates side by side along the last axis:
 *   SimpleRNN k = 1;  LSTM k = 4 in the order i, f, c, o;  GRU k = 3 in the order z, r, h.
 * So each gate's `Wx` (units x inputs, "W x" form) is transposed into its column block, and the
 * seed's two biases per gate are added into tfjs's one. tfjs's GRU differs from ours in two ways:
 *   - its state update is h = z' h_{t-1} + (1 - z') h~, so z' = 1 - z = σ(-a): the update-gate
 *     block is ours negated;
 *   - it applies the reset gate before the recurrent matmul (it has no resetAfter), so only
 *     our default `resetAfter: false` GRU maps onto it.
 * tfjs's default recurrentActivation is 'hardSigmoid'; the layers built here use 'sigmoid'.
 *
 * Usage:
 *   const model = tfjsLstmFrom(w);                       // [batch, T, inputs] -> [batch, T, units]
 *   const hs = runRecurrentModel(model, [[1], [2]]);     // the hidden states h_1, h_2
 */
import * as tf from '@tensorflow/tfjs';
import { elmanSizes, type ElmanWeights } from './elman';
import type { GateWeights } from './gate';
import { GRU_GATES, gruSizes, type GruWeights } from './gru';
import { LSTM_GATES, lstmSizes, type LstmWeights } from './lstm';
import { addVec, checkMatrix, checkVector, filledVector, transpose, type ActivationName, type Matrix, type Vector } from './math';

/** tfjs's three recurrent weights, as plain numbers. */
export interface PackedRecurrentWeights {
  /** [inputs][k*units] */
  kernel: Matrix;
  /** [units][k*units] */
  recurrentKernel: Matrix;
  /** [k*units] */
  bias: Vector;
}

/** A Dense layer's weights: kernel [inputs][units], bias [units]. */
export interface DenseWeights {
  kernel: Matrix;
  bias: Vector;
}

function negateGate(g: GateWeights): GateWeights {
  const neg = (m: Matrix): Matrix => m.map((row) => row.map((v) => -v));
  return { Wx: neg(g.Wx), Wh: neg(g.Wh), bx: g.bx.map((v) => -v), bh: g.bh.map((v) => -v) };
}

function pack(gates: GateWeights[]): PackedRecurrentWeights {
  const kx = gates.map((g) => transpose(g.Wx));
  const kh = gates.map((g) => transpose(g.Wh));
  const joinRows = (blocks: Matrix[]): Matrix => blocks[0].map((_, r) => blocks.flatMap((b) => b[r]));
  return {
    kernel: joinRows(kx),
    recurrentKernel: joinRows(kh),
    bias: gates.flatMap((g) => addVec(g.bx, g.bh)),
  };
}

function unpack(p: PackedRecurrentWeights, k: number, what: string): GateWeights[] {
  const inputs = p.kernel.length;
  const units = p.recurrentKernel.length;
  if (inputs < 1 || units < 1) throw new Error(`${what}: empty kernel; pass tfjs's [kernel, recurrentKernel, bias].`);
  checkMatrix(p.kernel, inputs, k * units, `${what} kernel`);
  checkMatrix(p.recurrentKernel, units, k * units, `${what} recurrentKernel`);
  checkVector(p.bias, k * units, `${what} bias`);
  const gates: GateWeights[] = [];
  for (let g = 0; g < k; g++) {
    const cols = (m: Matrix): Matrix => m.map((row) => row.slice(g * units, (g + 1) * units));
    gates.push({
      Wx: transpose(cols(p.kernel)),
      Wh: transpose(cols(p.recurrentKernel)),
      bx: p.bias.slice(g * units, (g + 1) * units),
      bh: filledVector(units, () => 0),
    });
  }
  return gates;
}

/** SimpleRNN + Dense weights for an Elman network. Usage: `const { rnn, dense } = elmanToTfjs(w)` */
export function elmanToTfjs(w: ElmanWeights): { rnn: PackedRecurrentWeights; dense: DenseWeights } {
  elmanSizes(w);
  return {
    rnn: { kernel: transpose(w.Wxh), recurrentKernel: transpose(w.Whh), bias: w.bh.slice() },
    dense: { kernel: transpose(w.Why), bias: w.by.slice() },
  };
}

/** tfjs LSTM weights (gate order i, f, c, o; biases summed). Usage: `lstmToTfjs(w).kernel` */
export function lstmToTfjs(w: LstmWeights): PackedRecurrentWeights {
  lstmSizes(w);
  return pack(LSTM_GATES.map((name) => w[name]));
}

/** Per-gate LSTM weights from tfjs's packed ones (the bias goes to bx, bh = 0). Usage: `lstmFromTfjs(p).forget` */
export function lstmFromTfjs(p: PackedRecurrentWeights): LstmWeights {
  const [input, forget, cell, output] = unpack(p, 4, 'lstmFromTfjs');
  return { input, forget, cell, output };
}

/** tfjs GRU weights (order z, r, h; update gate negated; reset-before only). Usage: `gruToTfjs(w).bias` */
export function gruToTfjs(w: GruWeights): PackedRecurrentWeights {
  gruSizes(w);
  return pack([negateGate(w.update), w.reset, w.candidate]);
}

/** Per-gate GRU weights (our convention) from tfjs's packed ones. Usage: `gruFromTfjs(p).update` */
export function gruFromTfjs(p: PackedRecurrentWeights): GruWeights {
  const [zPrime, reset, candidate] = unpack(p, 3, 'gruFromTfjs');
  return { update: negateGate(zPrime), reset, candidate };
}

/** Reads a recurrent layer's [kernel, recurrentKernel, bias] as plain numbers. Usage: `readPackedWeights(model.layers[0])` */
export function readPackedWeights(layer: tf.layers.Layer): PackedRecurrentWeights {
  const ws = layer.getWeights();
  if (ws.length !== 3) {
    throw new Error(`readPackedWeights: layer '${layer.name}' has ${ws.length} weights; expected a SimpleRNN, LSTM or GRU layer with useBias (kernel, recurrentKernel, bias).`);
  }
  const [kernel, recurrentKernel, bias] = ws;
  return {
    kernel: kernel.arraySync() as Matrix,
    recurrentKernel: recurrentKernel.arraySync() as Matrix,
    bias: bias.arraySync() as Vector,
  };
}

function setPacked(layer: tf.layers.Layer, p: PackedRecurrentWeights): void {
  const ts = [tf.tensor2d(p.kernel), tf.tensor2d(p.recurrentKernel), tf.tensor1d(p.bias)];
  layer.setWeights(ts);
  tf.dispose(ts);
}

/**
 * A tfjs SimpleRNN (returnSequences) holding an Elman network's W_xh, W_hh, b_h; maps
 * [batch, T, inputs] to the hidden states [batch, T, units]. Usage: `tfjsSimpleRnnFrom(w)`
 */
export function tfjsSimpleRnnFrom(w: ElmanWeights, activation: ActivationName = 'tanh'): tf.Sequential {
  const s = elmanSizes(w);
  const layer = tf.layers.simpleRNN({ units: s.units, activation, returnSequences: true, inputShape: [null, s.inputs] });
  const model = tf.sequential({ layers: [layer] });
  setPacked(layer, elmanToTfjs(w).rnn);
  return model;
}

/** A tfjs LSTM (returnSequences, sigmoid gates) holding these weights. Usage: `tfjsLstmFrom(w)` */
export function tfjsLstmFrom(w: LstmWeights): tf.Sequential {
  const s = lstmSizes(w);
  const layer = tf.layers.lstm({ units: s.units, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [null, s.inputs] });
  const model = tf.sequential({ layers: [layer] });
  setPacked(layer, lstmToTfjs(w));
  return model;
}

/** A tfjs GRU (returnSequences, sigmoid gates, reset before the matmul) holding these weights. Usage: `tfjsGruFrom(w)` */
export function tfjsGruFrom(w: GruWeights): tf.Sequential {
  const s = gruSizes(w);
  const layer = tf.layers.gru({ units: s.units, recurrentActivation: 'sigmoid', returnSequences: true, inputShape: [null, s.inputs] });
  const model = tf.sequential({ layers: [layer] });
  setPacked(layer, gruToTfjs(w));
  return model;
}

/**
 * Runs a [batch, T, inputs] -> [batch, T, units] model on one plain sequence and returns the
 * per-step outputs as plain numbers (tensors freed). Usage: `runRecurrentModel(model, [[1], [2]])`
 */
export function runRecurrentModel(model: tf.LayersModel, xs: Vector[]): Vector[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error('runRecurrentModel: the sequence is empty; pass number[][] (steps x features).');
  const out = tf.tidy(() => {
    const x = tf.tensor3d([xs]);
    const y = model.predict(x) as tf.Tensor;
    if (y.rank !== 3) throw new Error(`runRecurrentModel: the model returned rank ${y.rank}; build it with returnSequences: true.`);
    return y.arraySync() as number[][][];
  });
  return out[0];
}
