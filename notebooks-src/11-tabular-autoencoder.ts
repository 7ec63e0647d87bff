// %% [markdown]
// # 11 · A tabular autoencoder: California housing
//
// Seed 000 uses an autoencoder for **dimensionality reduction on a table**: the California housing
// data (one row per census block group, 1990), scaled to [0, 1] with a `MinMaxScaler`, squeezed
// through a 32 → 16 → **7** encoder and rebuilt by a 16 → 32 → 8 decoder, trained with the **mean
// absolute error** and Adam for 15 epochs in batches of 32. The 7 bottleneck values of each row are
// its new features, `feature_0` … `feature_6`. The seed reports `val_mae` ≈ 0.011 after 15 epochs.
//
// Here the table is a [danfo.js](https://danfo.jsdata.org/) `DataFrame` (pandas for JavaScript), the
// preparation steps are the ones scikit-learn users know (describe, impute, encode, split, scale),
// and at the end the same autoencoder gives each row an **anomaly score**: rows it cannot rebuild
// well are unusual. The autoencoder itself is written as tfjs code (the seed subclasses Keras's
// `Model`; section 6 shows the tfjs equivalent and how subclassing differs).
//
// **What you need.** Notebook 08 (autoencoders, encoder and decoder models) and 01 (`compile`/`fit`).
//
// **How long.** Measured on a 2-core machine without GPU (README, course wall-time table): about
// 8 s on the `smoke` profile, about 41 s on `full`. To switch to the small sizes inside Jupyter
// without restarting, run `import { useProfile } from '../dist/lib/profile'; useProfile('smoke');` in a
// cell before the first code cell, then run the notebook from the top.
//
// Run the cells in order: later cells use names defined earlier.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { loadHousing } from '../dist/lib/data';
import { compile, getCompiled, fit, evaluate, summary, Adam, disposeModels } from '../dist/lib/train';
import { showFigure, histogram, barChart, lineChart } from '../dist/lib/plots';
import { MinMaxScaler, StandardScaler, PCA, reconstructionErrorsOf, quantile, flagAnomalies } from '../dist/lib/unsupervised';
import { check11_1, check11_2, check11_3, check11_4, check11_5 } from '../dist/lib/exercises';
const mean = (v: ArrayLike<number>): number => Array.from(v).reduce((a, b) => a + b, 0) / v.length;
import {
  showDataFrame, describeFrame, missingCounts, valueCounts, oneHotEncode, SimpleImputer,
  trainTestSplit, scaleFrame, frameToTensor, tensorToFrame, rowsToFrame, frameToRows, numericColumn,
} from '../dist/lib/tabular';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seed's sizes (17,000 training rows = 532 batches of 32, 3,000 validation rows, 15 epochs).
const P = profileSizes({
  full: { train: 17000, test: 3000, epochs: 15, batchSize: 32 },
  smoke: { train: 2000, test: 500, epochs: 3, batchSize: 32 },
});
console.log(P);

// %% [markdown]
// ## 1 · Read the table
//
// `loadHousing()` reads `housing.csv` (20,640 rows; the copy in Géron's *handson-ml2*) and returns
// typed columns and a danfo `DataFrame`. `showDataFrame` draws a DataFrame as an HTML table (first
// and last rows, like pandas in Jupyter); `df.print()` prints danfo's own text table.

// %%
const housing = await loadHousing();
const df = housing.df;
console.log(`${housing.rowCount.toLocaleString('en-US')} rows from ${housing.source}`);
console.log('columns and dtypes:', df.columns.map((c, j) => `${c}: ${df.dtypes[j]}`).join(', '));
showDataFrame(df, { caption: 'housing.csv' });

// %% [markdown]
// ## 2 · Describe it
//
// `describeFrame` is pandas's `describe()`: count, mean, standard deviation, min, quartiles and max
// of every numeric column, **skipping empty cells**. Two things stand out:
//
// * `total_bedrooms` has a smaller count than the other columns: it is empty in some rows;
// * the columns live on very different scales (a median income of about 4 in tens of thousands of
//   dollars, a population in the thousands, house values up to 500,001 — a cap of the census data).
//   An autoencoder with a sigmoid output can only produce values in (0, 1), so the columns must be
//   scaled (section 5).

// %%
showDataFrame(describeFrame(df), { caption: 'describe()', precision: 6 });
const missing = missingCounts(df);
showMarkdown(markdownTable(['column', 'empty cells'], Object.entries(missing).map(([c, n]) => [c, n])));

// %% [markdown]
// ## 3 · The text column and the target
//
// `ocean_proximity` is text with five values. A network needs numbers: **one-hot encoding** makes one
// 0/1 column per value (pandas `get_dummies`), shown below.
//
// We **drop** it instead, and also drop the target `median_house_value`, for the seed's reasons:
//
// * the seed trains on Colab's `california_housing_train.csv` / `_test.csv`: a 20,000-row version of
//   this table with the same block groups and **without** `ocean_proximity` (and without empty
//   cells). Its `x_train` is the table minus the target: **8 columns**, so its decoder ends in 8 units;
// * the target is what a later model would predict *from* the 7 features, so it must not be one of
//   their inputs;
// * the five 0/1 columns would be easy, nearly constant targets for the MAE (most cells are 0) and
//   would make the error not comparable with the seed's. Exercise 1 puts them back.
//
// The ISLAND category has 5 rows in the whole table: a one-hot column almost never 1.

// %%
showMarkdown(markdownTable(['ocean_proximity', 'rows'], valueCounts(df, 'ocean_proximity').map((c) => [c.value, c.count])));
const encoded = oneHotEncode(df, 'ocean_proximity');
showDataFrame(encoded.df.iloc({ rows: [0, 1, 2, 3, 4] }).loc({ columns: ['median_income', ...encoded.columns] }), { caption: 'one-hot encoded (first rows, some columns)' });

const TARGET = 'median_house_value';
const X = df.drop({ columns: [TARGET, 'ocean_proximity'] });
const featureNames = X.columns;
console.log(`${featureNames.length} input columns: ${featureNames.join(', ')}`);

// %% [markdown]
// ## 4 · Train / validation split, then fill the empty cells
//
// The seed's split is Colab's two files: **17,000** training rows (532 batches of 32 in its log) and
// **3,000** rows it passes as `validation_data`. `trainTestSplit` is scikit-learn's
// `train_test_split` (shuffle with a seed, then cut); with `trainSize: 17000, testSize: 3000` it
// draws the same sizes from our 20,640 rows, and the 640 others stay out, as they do in Colab's files.
// (The rows are not Colab's rows: their selection is not published.)
//
// Empty `total_bedrooms` cells get the **training median** (`SimpleImputer`, fit on the training
// split only): using the whole table's median would leak validation statistics into training. The
// median rather than the mean, because the count columns have long right tails.

// %%
const split = trainTestSplit(X, { trainSize: P.train, testSize: P.test, seed: 42 });
console.log(`train ${split.train.shape}, validation ${split.test.shape}; empty total_bedrooms: train ${missingCounts(split.train).total_bedrooms}, validation ${missingCounts(split.test).total_bedrooms}`);
const imputer = new SimpleImputer({ strategy: 'median' }).fit(split.train, ['total_bedrooms']);
const xTrain = imputer.transform(split.train);
const xTest = imputer.transform(split.test);
console.log(`training median of total_bedrooms: ${imputer.statistics.total_bedrooms}; empty cells left: ${missingCounts(xTrain).total_bedrooms + missingCounts(xTest).total_bedrooms}`);

// %% [markdown]
// ## 5 · Scale to [0, 1], fitted on the training split
//
// The seed's `scale_datasets`: `MinMaxScaler().fit_transform(x_train)`, then `.transform(x_test)`.
// x' = (x − min) / (max − min) with the **training** min and max, so training columns span exactly
// [0, 1] and validation values can fall slightly outside.

// %%
const scaler = new MinMaxScaler();
const xTrainScaled = scaleFrame(scaler, xTrain, { fit: true });
const xTestScaled = scaleFrame(scaler, xTest);
showDataFrame(describeFrame(xTrainScaled), { caption: 'training split after scaling', precision: 4 });
const testRange = describeFrame(xTestScaled);
console.log(`validation split after scaling: min ${Math.min(...(testRange.iloc({ rows: [3] }).values[0] as number[])).toFixed(4)}, max ${Math.max(...(testRange.iloc({ rows: [7] }).values[0] as number[])).toFixed(4)}`);

// %% [markdown]
// ## 6 · The autoencoder
//
// The seed subclasses Keras's `Model`:
//
// ```python
// class AutoEncoders(Model):
//   def __init__(self, output_units):
//     super().__init__()
//     self.encoder = Sequential([Dense(32, activation="relu"), Dense(16, activation="relu"), Dense(7, activation="relu")])
//     self.decoder = Sequential([Dense(16, activation="relu"), Dense(32, activation="relu"), Dense(output_units, activation="sigmoid")])
//   def call(self, inputs):
//     encoded = self.encoder(inputs)
//     decoded = self.decoder(encoded)
//     return decoded
// ```
//
// **In tfjs** a `LayersModel` cannot be subclassed with its own `call`: a tfjs model is always a
// graph of layers built from symbolic inputs (`tf.sequential` or the functional `tf.model`). The
// same network is the two `Sequential` models and a functional model that wires them: an input,
// `encoder.apply(input)`, `decoder.apply(code)`, exactly what the seed's `call` does.
//
// **How subclassing differs.** In a subclassed Keras model the forward pass is Python code that runs
// when the model is called: Keras knows the layers (it tracks the attributes) but not how they are
// connected until the first call, so `summary()` needs a built model, the architecture cannot be
// saved as a config (only the weights, and the class must be there to load them), and the `call` may
// contain any Python (loops, conditions). A functional model declares its graph up front: its
// summary, its output shapes and its saved architecture are known before any data goes through it,
// and `encoder` and `decoder` stay usable on their own (section 7 uses the encoder alone). In tfjs,
// code that runs at call time goes in a custom *layer* (`class ... extends tf.layers.Layer`, like
// notebook 08's `DenseTranspose` or notebook 12's `Sampling`), not in a custom model.
//
// Loss and metric are the mean absolute error, |x − x̂| averaged over the 8 columns; the optimiser
// is Adam (learning rate 0.001). (The library keeps the same model as `buildStackedAutoencoder`; a test
// pins them together.)

// %%
function housingAutoencoder(outputUnits: number): { encoder: tf.Sequential; decoder: tf.Sequential; autoencoder: tf.LayersModel } {
  const encoder = tf.sequential({ name: 'encoder', layers: [
    tf.layers.dense({ units: 32, activation: 'relu', inputShape: [outputUnits] }),
    tf.layers.dense({ units: 16, activation: 'relu' }),
    tf.layers.dense({ units: 7, activation: 'relu' }), // the 7 bottleneck features
  ] });
  const decoder = tf.sequential({ name: 'decoder', layers: [
    tf.layers.dense({ units: 16, activation: 'relu', inputShape: [7] }),
    tf.layers.dense({ units: 32, activation: 'relu' }),
    tf.layers.dense({ units: outputUnits, activation: 'sigmoid' }),
  ] });
  // the seed's call(): decoded = decoder(encoder(inputs))
  const inputs = tf.input({ shape: [outputUnits] });
  const encoded = encoder.apply(inputs) as tf.SymbolicTensor;
  const decoded = decoder.apply(encoded) as tf.SymbolicTensor;
  return { encoder, decoder, autoencoder: tf.model({ inputs, outputs: decoded, name: 'housing_ae' }) };
}
const ae = housingAutoencoder(featureNames.length);
summary(ae.encoder);
summary(ae.decoder);
compile(ae.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'mae', metrics: ['mae'] });
const trainT = frameToTensor(xTrainScaled);
const testT = frameToTensor(xTestScaled);
const t0 = Date.now();
const history = await fit(ae.autoencoder, trainT, trainT, {
  epochs: P.epochs, batchSize: P.batchSize, validationData: [testT, testT],
});
const trainSeconds = (Date.now() - t0) / 1000;
const ourValMae = history.history.val_mae.at(-1) as number;
console.log(`${P.epochs} epochs in ${trainSeconds.toFixed(1)} s; final val_mae ${ourValMae.toFixed(4)}`);

// %% [markdown]
// ### Seed vs ours, epoch by epoch
//
// The seed's log (Keras, Colab's split) next to ours. MAE is in scaled units: 0.011 means the
// reconstruction is off by about 1.1 % of each column's training range on average.

// %%
const SEED_LOG: Array<[number, number]> = [ // [loss, val_mae] per epoch, seed 000
  [0.1551, 0.0459], [0.0417, 0.0277], [0.0273, 0.0229], [0.0187, 0.0142], [0.0138, 0.0137],
  [0.0128, 0.0127], [0.0121, 0.0116], [0.0116, 0.0116], [0.0113, 0.0114], [0.0113, 0.0116],
  [0.0110, 0.0114], [0.0108, 0.0109], [0.0107, 0.0111], [0.0108, 0.0110], [0.0104, 0.0111],
];
showMarkdown(markdownTable(['epoch', 'seed loss', 'seed val_mae', 'our loss', 'our val_mae'],
  SEED_LOG.map(([l, v], e) => [e + 1, l.toFixed(4), v.toFixed(4), history.history.loss[e]?.toFixed(4) ?? '—', history.history.val_mae[e]?.toFixed(4) ?? '—'])));
showFigure(lineChart([
  { name: 'seed val_mae', x: SEED_LOG.map((_, e) => e + 1), y: SEED_LOG.map(([, v]) => v), dash: 'dash', markers: true },
  { name: 'our val_mae', x: history.history.val_mae.map((_, e) => e + 1), y: history.history.val_mae, markers: true },
  { name: 'our loss', x: history.history.loss.map((_, e) => e + 1), y: history.history.loss },
], { title: 'Validation MAE: seed 000 vs ours', xTitle: 'epoch', yTitle: 'MAE (scaled units)', logY: true }));

// %% [markdown]
// ## 7 · The 7 bottleneck features as a DataFrame
//
// The seed: `encoder_layer.predict(x_train_scaled)` into a DataFrame, `add_prefix('feature_')`.
// Here `ae.encoder` is the encoder on its own, and `tensorToFrame` names the columns `feature_0` …
// `feature_6` (the rows keep the original row labels). The seed's first rows read 0.611391,
// 0.233921, 1.362540, … — different rows and a different training, so only the kind of numbers
// compares: non-negative (ReLU), of order 1. A feature that is 0 for every row is a **dead ReLU**
// unit: it carries nothing, and the code is effectively smaller.

// %%
const codesT = ae.encoder.predict(trainT) as tf.Tensor2D;
const features = tensorToFrame(codesT, { prefix: 'feature_', index: xTrainScaled.index });
showDataFrame(features, { caption: 'reduced_df' });
const featureStats = describeFrame(features);
showDataFrame(featureStats, { caption: 'the 7 features', precision: 4 });
const dead = features.columns.filter((c) => numericColumn(features, c).every((v) => v === 0));
console.log(`features that are 0 for every training row (dead ReLU units): ${dead.length ? dead.join(', ') : 'none'}`);
showMarkdown(markdownTable(['row 0', ...features.columns], [
  ['seed 000', '0.611391', '0.233921', '1.362540', '0.874464', '1.767208', '0.907174', '0.975969'],
  ['ours', ...(features.values[0] as number[]).map((v) => v.toFixed(6))],
]));

// %% [markdown]
// ## 8 · Anomaly scores from the reconstruction error
//
// An autoencoder trained on ordinary rows rebuilds ordinary rows well. The **anomaly score** of a row
// is its reconstruction error, here the MAE over its 8 scaled columns. A threshold — the 99th
// percentile of the training scores — flags the unusual rows of the validation split. The table
// shows the ten highest scores with their original values, and which column was rebuilt worst.

// %%
const trainScores = reconstructionErrorsOf(ae.autoencoder, trainT, { metric: 'mae' });
const testScores = reconstructionErrorsOf(ae.autoencoder, testT, { metric: 'mae' });
const threshold = quantile(trainScores, 0.99);
const flagged = flagAnomalies(testScores, threshold);
console.log(`mean score: train ${mean(trainScores).toFixed(4)}, validation ${mean(testScores).toFixed(4)}; threshold (99th percentile of train) ${threshold.toFixed(4)}; ${flagged.indices.length} of ${testScores.length} validation rows flagged`);
showFigure(histogram([{ name: 'train', values: trainScores }, { name: 'validation', values: testScores }], { title: 'Reconstruction MAE per row', bins: 60, xTitle: 'anomaly score (MAE)', logY: true }));

const top = flagged.indices.slice(0, 10);
const recon = tf.tidy(() => ae.autoencoder.predict(tf.gather(testT, top)) as tf.Tensor2D);
const reconRows = recon.arraySync();
const inputRows = frameToRows(xTestScaled.iloc({ rows: top }));
const worstColumn = inputRows.map((r, i) => {
  const diffs = r.map((v, j) => Math.abs(v - reconRows[i][j]));
  return featureNames[diffs.indexOf(Math.max(...diffs))];
});
const labels = top.map((i) => xTestScaled.index[i] as number);
const original = df.iloc({ rows: labels });
const topTable = rowsToFrame(top.map((i, r) => [testScores[i], ...(original.iloc({ rows: [r] }).loc({ columns: [...featureNames, TARGET] }).values[0] as number[])]), { columns: ['score', ...featureNames, TARGET], index: labels });
showDataFrame(topTable, { caption: 'highest anomaly scores (validation rows, original units)', precision: 5, maxRows: 10 });
showMarkdown(markdownTable(['row', 'score', 'worst column', 'ocean_proximity'], top.map((i, r) => [labels[r], testScores[i].toFixed(4), worstColumn[r], String(original.column('ocean_proximity').values[r])])));
recon.dispose();

// %% [markdown]
// What to look for at the top of the list: block groups with very large counts (tens of thousands of
// rooms or people, far in the long right tail that `describe()` showed) or unusual ratios between
// the counts, values the 7-number code has no room for. The line below counts how many of the
// flagged rows have a count column above the training split's 99th percentile. The census cap on
// `median_house_value` (500,001) plays no part: the target is not an input.

// %%
{
  const countColumns = ['total_rooms', 'total_bedrooms', 'population', 'households'];
  const limits = Object.fromEntries(countColumns.map((c) => [c, quantile(numericColumn(xTrain, c), 0.99)]));
  const flaggedRows = flagged.indices.map((i) => xTest.index[i] as number);
  const big = flaggedRows.filter((label) => countColumns.some((c) => (df.loc({ rows: [label], columns: [c] }).values[0] as number[])[0] > limits[c]));
  console.log(flaggedRows.length === 0
    ? 'no validation row was flagged in this run'
    : `${big.length} of the ${flaggedRows.length} flagged validation rows (${((100 * big.length) / flaggedRows.length).toFixed(0)} %) have a count column above the training 99th percentile (${countColumns.map((c) => `${c} > ${Math.round(limits[c]).toLocaleString('en-US')}`).join(', ')})`);
}

// %% [markdown]
// ## Summary: seed vs ours
//
// The 32-16-7 autoencoder written as two `Sequential` models joined by the functional API (the tfjs
// form of the seed's subclassed `Model`), trained with MAE and Adam on the MinMax-scaled table; its
// encoder gives 7 features per row, its reconstruction error an anomaly score. On the smoke profile
// (2,000 rows, 3 epochs) the MAE is far from converged; the full profile uses the seed's sizes.

// %%
showMarkdown(markdownTable(['quantity', 'seed 000', 'ours'], [
  ['training rows / batches of 32', '17,000 / 532', `${P.train.toLocaleString('en-US')} / ${Math.ceil(P.train / P.batchSize)}`],
  ['validation rows', '3,000', P.test.toLocaleString('en-US')],
  ['input columns', 8, featureNames.length],
  [`val_mae after ${P.epochs} epochs`, '0.0111 (15 epochs)', ourValMae.toFixed(4)],
  ['best val_mae', '0.0109 (epoch 12)', Math.min(...history.history.val_mae).toFixed(4)],
  ['bottleneck features', '7 (feature_0..feature_6)', `${features.shape[1]} (${features.columns[0]}..${features.columns.at(-1)})`],
]));
console.log(Math.abs(ourValMae - 0.0111) <= 0.0111 * 0.1
  ? `our val_mae is within 10 % of the seed's 0.0111`
  : `our val_mae (${ourValMae.toFixed(4)}) is ${ourValMae > 0.0111 ? 'above' : 'below'} the seed's 0.0111 by ${(Math.abs(ourValMae / 0.0111 - 1) * 100).toFixed(0)} %${P.epochs < 15 ? ` after ${P.epochs} of the seed's 15 epochs` : ''}`);

// %% [markdown]
// ## Exercises
//
// **Exercise 1 · Put `ocean_proximity` back.** One-hot encode it (categories learned on the training
// rows), keep the five 0/1 columns next to the 8 scaled ones, and train the same autoencoder (13
// outputs). To compare it fairly with the 8-column model, write `maeOnFirstColumns(pred, target, k)`:
// the mean absolute error over the first `k` columns only (a number).

// %%
let maeOnFirstColumns: ((pred: tf.Tensor2D, target: tf.Tensor2D, k: number) => number) | undefined;
// ### BEGIN SOLUTION
maeOnFirstColumns = (pred: tf.Tensor2D, target: tf.Tensor2D, k: number) => tf.tidy(() =>
  tf.mean(tf.abs(tf.sub(pred.slice([0, 0], [-1, k]), target.slice([0, 0], [-1, k])))).dataSync()[0]);
{
  const trainRows = df.iloc({ rows: split.train.index as number[] });
  const testRows = df.iloc({ rows: split.test.index as number[] });
  const enc = oneHotEncode(trainRows, 'ocean_proximity');
  const encTest = oneHotEncode(testRows, 'ocean_proximity', { categories: enc.categories });
  const oneHotTrain = frameToTensor(enc.df, enc.columns);
  const oneHotTest = frameToTensor(encTest.df, enc.columns);
  const x13 = tf.concat([trainT, oneHotTrain], 1) as tf.Tensor2D;
  const x13Test = tf.concat([testT, oneHotTest], 1) as tf.Tensor2D;
  const ae13 = housingAutoencoder(13);
  compile(ae13.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'mae', metrics: ['mae'] });
  await fit(ae13.autoencoder, x13, x13, { epochs: P.epochs, batchSize: P.batchSize, verbose: 0 });
  const pred = ae13.autoencoder.predict(x13Test) as tf.Tensor2D;
  const mae8 = maeOnFirstColumns(pred, x13Test, 8);
  showMarkdown(markdownTable(['model', 'validation MAE on the 8 numeric columns'], [['8 columns', ourValMae.toFixed(4)], ['8 + 5 one-hot columns', mae8.toFixed(4)]]));
  tf.dispose([oneHotTrain, oneHotTest, x13, x13Test, pred]);
  getCompiled(ae13.autoencoder).optimizer.dispose();
  disposeModels([ae13.autoencoder]);
}
// ### END SOLUTION

// %%
await check11_1({ maeOnFirstColumns: maeOnFirstColumns });

// %% [markdown]
// **Exercise 2 · PCA as the baseline.** Write `pcaMae(train, test, k)`: fit a k-component `PCA` on the
// training rows, reconstruct the test rows (`inverseTransform(transform(test))`) and return their
// MAE. Compare PCA-7 with the autoencoder: does the non-linear autoencoder beat the linear projection?

// %%
let pcaMae: ((train: tf.Tensor2D, test: tf.Tensor2D, k: number) => number) | undefined;
// ### BEGIN SOLUTION
pcaMae = (train: tf.Tensor2D, test: tf.Tensor2D, k: number) => {
  const pca = new PCA({ nComponents: k }).fit(train);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(pca.inverseTransform(pca.transform(test)), test))).dataSync()[0]);
};
{
  const linearMae = pcaMae(trainT, testT, 7);
  showMarkdown(markdownTable(['7-d code', 'validation MAE'], [['PCA-7', linearMae.toFixed(4)], ['autoencoder 32-16-7', ourValMae.toFixed(4)]]));
  const kept = Array.from(new PCA({ nComponents: 7 }).fit(trainT).explainedVarianceRatio).reduce((a, b) => a + b, 0);
  console.log(`PCA-7 keeps ${(100 * kept).toFixed(2)} % of the variance of the 8 columns; ` + (linearMae <= ourValMae
    ? `the linear projection reconstructs as well as or better than the autoencoder in this run (${linearMae.toFixed(4)} ≤ ${ourValMae.toFixed(4)}): dropping one direction of 8 loses little, and it is hard to beat here.`
    : `the autoencoder beats the linear projection in this run (${ourValMae.toFixed(4)} < ${linearMae.toFixed(4)}): its non-linear code keeps what the dropped direction held.`));
}
// ### END SOLUTION

// %%
await check11_2({ pcaMae: pcaMae });

// %% [markdown]
// **Exercise 3 · Which column is hardest?** Write `columnMae(pred, target)`: the MAE of each column
// separately (an array, one number per column). Draw it for the validation rows as a bar chart.

// %%
let columnMae: ((pred: tf.Tensor2D, target: tf.Tensor2D) => number[]) | undefined;
// ### BEGIN SOLUTION
columnMae = (pred: tf.Tensor2D, target: tf.Tensor2D) => tf.tidy(() => Array.from(tf.mean(tf.abs(tf.sub(pred, target)), 0).dataSync()));
{
  const pred = ae.autoencoder.predict(testT) as tf.Tensor2D;
  showFigure(barChart(featureNames, columnMae(pred, testT), { title: 'Validation MAE per column (scaled units)', yTitle: 'MAE' }));
  pred.dispose();
}
// ### END SOLUTION

// %%
await check11_3({ columnMae: columnMae });

// %% [markdown]
// **Exercise 4 · Are the features useful?** Write `houseValueRegressor(inputs)`: a small network
// (Dense 32 ReLU, Dense 1) taking `inputs` numbers. Predict `median_house_value` (scaled to [0, 1] with
// a MinMaxScaler fitted on training) from the 7 bottleneck features and from the 8 scaled columns;
// compare the validation MAE after 10 epochs.

// %%
let houseValueRegressor: ((inputs: number) => tf.LayersModel) | undefined;
// ### BEGIN SOLUTION
houseValueRegressor = (inputs: number) => tf.sequential({ layers: [tf.layers.dense({ inputShape: [inputs], units: 32, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
{
  const yScaler = new MinMaxScaler();
  const yTrain = tf.tensor2d(yScaler.fitTransform(numericColumn(df.iloc({ rows: split.train.index as number[] }), TARGET).map((v) => [v])));
  const yTest = tf.tensor2d(yScaler.transform(numericColumn(df.iloc({ rows: split.test.index as number[] }), TARGET).map((v) => [v])));
  const codesTest = ae.encoder.predict(testT) as tf.Tensor2D;
  const rows: (string | number)[][] = [];
  for (const [name, xa, xb] of [['7 bottleneck features', codesT, codesTest], ['8 scaled columns', trainT, testT]] as const) {
    const reg = houseValueRegressor(xa.shape[1]);
    const opt = Adam({ learningRate: 0.001 });
    compile(reg, { optimizer: opt, loss: 'mae' });
    await fit(reg, xa, yTrain, { epochs: 10, batchSize: 32, verbose: 0 });
    rows.push([name, evaluate(reg, xb, yTest, { verbose: 0 }).loss.toFixed(4)]);
    opt.dispose();
    reg.dispose();
  }
  showMarkdown(markdownTable(['inputs', 'validation MAE of the scaled house value'], rows));
  tf.dispose([yTrain, yTest, codesTest]);
}
// ### END SOLUTION

// %%
await check11_4({ houseValueRegressor: houseValueRegressor });

// %% [markdown]
// **Exercise 5 · StandardScaler instead.** Why does the seed's model need the MinMaxScaler? Write
// `shareOutsideSigmoid(values)`: the share of the values a sigmoid output could never produce (≤ 0
// or ≥ 1). Scale with `StandardScaler` and apply it to the scaled validation values.

// %%
let shareOutsideSigmoid: ((values: ArrayLike<number>) => number) | undefined;
// ### BEGIN SOLUTION
shareOutsideSigmoid = (values: ArrayLike<number>) => Array.from(values).filter((v) => v <= 0 || v >= 1).length / values.length;
{
  const std = new StandardScaler();
  scaleFrame(std, xTrain, { fit: true });
  const testStd = frameToRows(scaleFrame(std, xTest)).flat();
  const minMax = frameToRows(xTestScaled).flat();
  showMarkdown(markdownTable(['scaler', 'validation values a sigmoid cannot produce'], [['StandardScaler', `${(100 * shareOutsideSigmoid(testStd)).toFixed(1)} %`], ['MinMaxScaler', `${(100 * shareOutsideSigmoid(minMax)).toFixed(1)} %`]]));
}
// ### END SOLUTION

// %%
await check11_5({ shareOutsideSigmoid: shareOutsideSigmoid });

// %% [markdown]
// ## Next
//
// Free the tensors and the model (the cell below), then go on to
// [12 · variational autoencoders](12-variational-autoencoders.ipynb): autoencoders that generate.

// %%
tf.dispose([trainT, testT, codesT]);
getCompiled(ae.autoencoder).optimizer.dispose();
disposeModels([ae.autoencoder]);
console.log('tensors alive:', tf.memory().numTensors);
