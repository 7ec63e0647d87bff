import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { columnWidths, kerasLayerName, readableMemorySize, summary, wrapCell } from '../lib/train/summary';

// Layer names count per class in creation order (like Keras): this file creates the seed MLP first.
const SEED_MLP = `Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ flatten (Flatten)               │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 300)            │       235,500 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 100)            │        30,100 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_2 (Dense)                 │ (None, 10)             │         1,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 266,610 (1.02 MB)
 Trainable params: 266,610 (1.02 MB)
 Non-trainable params: 0 (0.00 B)`;

const BN_MODEL = `Model: "sequential_1"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ flatten_1 (Flatten)             │ (None, 784)            │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 784)            │         3,136 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_3 (Dense)                 │ (None, 300)            │       235,500 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_1           │ (None, 300)            │         1,200 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_4 (Dense)                 │ (None, 100)            │        30,100 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization_2           │ (None, 100)            │           400 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_5 (Dense)                 │ (None, 10)             │         1,010 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 271,346 (1.04 MB)
 Trainable params: 268,978 (1.03 MB)
 Non-trainable params: 2,368 (9.25 KB)`;

describe('summary', () => {
  it("prints the seed MLP exactly as Keras 3 does (266,610 params, 1.02 MB)", () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28] }),
        tf.layers.dense({ units: 300, activation: 'relu' }),
        tf.layers.dense({ units: 100, activation: 'relu' }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const printed: string[] = [];
    const text = summary(model, { printFn: (t) => printed.push(t) });
    expect(text).toBe(SEED_MLP);
    expect(printed).toEqual([SEED_MLP]);
    model.dispose();
  });

  it('prints the BN model of notebook 02: 271,346 / 268,978 / 2,368 with wrapped long names', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28] }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 300, activation: 'elu', kernelInitializer: 'heNormal' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 100, activation: 'elu', kernelInitializer: 'heNormal' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    expect(summary(model, { print: false })).toBe(BN_MODEL);
    model.dispose();
  });

  it('shows nested models as one row each (or expanded) and counts frozen weights as non-trainable', () => {
    const encoder = tf.sequential({ name: 'encoder', layers: [tf.layers.dense({ units: 30, inputShape: [784] })] });
    const decoder = tf.sequential({ name: 'decoder', layers: [tf.layers.dense({ units: 784, inputShape: [30] })] });
    const ae = tf.sequential({ name: 'autoencoder', layers: [encoder, decoder] });
    encoder.trainable = false;
    const text = summary(ae, { print: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Model: "autoencoder"');
    expect(lines[4]).toBe('│ encoder (Sequential)            │ (None, 30)             │        23,550 │');
    expect(lines[6]).toBe('│ decoder (Sequential)            │ (None, 784)            │        24,304 │');
    expect(lines.slice(-3)).toEqual([' Total params: 47,854 (186.93 KB)', ' Trainable params: 24,304 (94.94 KB)', ' Non-trainable params: 23,550 (91.99 KB)']);
    const expanded = summary(ae, { print: false, expandNested: true }).split('\n');
    expect(expanded[6]).toMatch(/^│    └ dense_\d+ \(Dense\) +│ \(None, 30\) +│ +23,550 │$/);
    ae.dispose();
  });

  it('lays out branching functional models with a Connected to column (Keras widths 21/19/12/19)', () => {
    const input = tf.input({ shape: [8], name: 'features' });
    const a = tf.layers.dense({ units: 4, name: 'left' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 4, name: 'right' }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.concatenate({ name: 'both' }).apply([a, b]) as tf.SymbolicTensor;
    const lines = summary(tf.model({ inputs: input, outputs: out, name: 'branches' }), { print: false }).split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'Model: "branches"',
      '┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩',
      '│ features            │ (None, 8)         │          0 │ -                 │',
      '│ (InputLayer)        │                   │            │                   │',
    ]);
    expect(lines).toContain('│ both (Concatenate)  │ (None, 8)         │          0 │ left[0][0],       │');
    expect(lines).toContain('│                     │                   │            │ right[0][0]       │');
  });

  it("formats sizes, widths and names like Keras and rich", () => {
    expect(readableMemorySize(0)).toBe('0.00 B');
    expect(readableMemorySize(2368 * 4)).toBe('9.25 KB');
    expect(readableMemorySize(1152)).toBe('1.12 KB'); // an exact tie rounds to even, as Python does
    expect(readableMemorySize(138357544 * 4)).toBe('527.79 MB');
    expect(readableMemorySize(3 * 1024 ** 3)).toBe('3.00 GB');
    expect(columnWidths(76, [0.45, 0.8, 1])).toEqual([33, 24, 15]);
    expect(columnWidths(76, [0.3, 0.56, 0.74, 1])).toEqual([21, 19, 12, 19]);
    expect(wrapCell('batch_normalization_1 (BatchNormalization)', 31)).toEqual(['batch_normalization_1 ', '(BatchNormalization)']);
    expect(wrapCell('a_very_long_layer_name_without_spaces (Dense)', 20)).toEqual(['a_very_long_layer_n…', '(Dense)']);
    expect(kerasLayerName(tf.layers.dense({ units: 1, name: 'my_output' }))).toBe('my_output');
    const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1 });
    expect(kerasLayerName(conv)).toMatch(/^conv2d(_\d+)?$/);
    const pool = tf.layers.maxPooling2d({ poolSize: 2 });
    expect(kerasLayerName(pool)).toMatch(/^max_pooling2d(_\d+)?$/);
  });
});
