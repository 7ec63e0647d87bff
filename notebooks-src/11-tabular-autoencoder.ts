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
// well are unusual.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadHousing } from '../dist/lib/data/housing';
import { compile, getCompiled } from '../dist/lib/train/compile';
import { fit, evaluate } from '../dist/lib/train/fit';
import { summary } from '../dist/lib/train/summary';
import { showFigure, learningCurves, histogram, barChart, lineChart } from '../dist/lib/plots';
import { MinMaxScaler, StandardScaler, PCA, buildStackedAutoencoder, reconstructionErrorsOf, quantile, flagAnomalies } from '../dist/lib/unsupervised';
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
showMarkdown(['| column | empty cells |', '| --- | ---: |', ...Object.entries(missing).map(([c, n]) => `| ${c} | ${n} |`)].join('\n'));

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
console.table(valueCounts(df, 'ocean_proximity'));
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
// The seed subclasses `Model` with an encoder `Sequential([Dense(32, relu), Dense(16, relu),
// Dense(7, relu)])` and a decoder `Sequential([Dense(16, relu), Dense(32, relu), Dense(8, sigmoid)])`.
// `buildStackedAutoencoder` builds the same: `hiddenSizes: [32, 16, 7]` for the encoder, mirrored for
// the decoder, ReLU everywhere (the 7-unit code included) and a sigmoid output. Loss and metric are
// the mean absolute error, |x − x̂| averaged over the 8 columns; the optimiser is Adam (learning rate
// 0.001).

// %%
const ae = buildStackedAutoencoder({ inputShape: [featureNames.length], hiddenSizes: [32, 16, 7], activation: 'relu', outputActivation: 'sigmoid', name: 'housing_ae' });
summary(ae.encoder);
summary(ae.decoder);
compile(ae.autoencoder, { optimizer: 'adam', loss: 'mae', metrics: ['mae'] });
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
showMarkdown([
  '| epoch | seed loss | seed val_mae | our loss | our val_mae |',
  '| ---: | ---: | ---: | ---: | ---: |',
  ...SEED_LOG.map(([l, v], e) => `| ${e + 1} | ${l.toFixed(4)} | ${v.toFixed(4)} | ${history.history.loss[e]?.toFixed(4) ?? '—'} | ${history.history.val_mae[e]?.toFixed(4) ?? '—'} |`),
].join('\n'));
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
showMarkdown([
  '| row 0 | ' + features.columns.join(' | ') + ' |',
  '| --- | ' + features.columns.map(() => '---:').join(' | ') + ' |',
  '| seed 000 | 0.611391 | 0.233921 | 1.362540 | 0.874464 | 1.767208 | 0.907174 | 0.975969 |',
  `| ours | ${(features.values[0] as number[]).map((v) => v.toFixed(6)).join(' | ')} |`,
].join('\n'));

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
console.table(top.map((i, r) => ({ row: labels[r], score: testScores[i].toFixed(4), 'worst column': worstColumn[r], ocean_proximity: original.column('ocean_proximity').values[r] })));
recon.dispose();

// %% [markdown]
// The top of the list is typically block groups with very large counts (tens of thousands of rooms
// or people, far in the long right tail that `describe()` showed) or unusual ratios between the
// counts: values the 7-number code has no room for. The census cap on `median_house_value`
// (500,001) plays no part: the target is not an input.

// %% [markdown]
// ## Summary: seed vs ours
//
// On the smoke profile (2,000 rows, 3 epochs) the MAE is far from converged; the full profile uses
// the seed's sizes.

// %%
showMarkdown([
  '| quantity | seed 000 | ours |',
  '| --- | ---: | ---: |',
  `| training rows / batches of 32 | 17,000 / 532 | ${P.train.toLocaleString('en-US')} / ${Math.ceil(P.train / P.batchSize)} |`,
  `| validation rows | 3,000 | ${P.test.toLocaleString('en-US')} |`,
  `| input columns | 8 | ${featureNames.length} |`,
  `| val_mae after ${P.epochs} epochs | 0.0111 (15 epochs) | ${ourValMae.toFixed(4)} |`,
  `| best val_mae | 0.0109 (epoch 12) | ${Math.min(...history.history.val_mae).toFixed(4)} |`,
  `| bottleneck features | 7 (feature_0..feature_6) | ${features.shape[1]} (${features.columns[0]}..${features.columns.at(-1)}) |`,
].join('\n'));

// %% [markdown]
// ## Exercises
//
// 1. **Put `ocean_proximity` back.** One-hot encode it (categories learned on the training rows),
//    keep the five 0/1 columns next to the 8 scaled ones, and train the same autoencoder (13 outputs).
//    Compare the validation MAE on the 8 original columns only with the 8-column model's.
// 2. **PCA as the baseline.** Fit a 7-component PCA on the scaled training rows and compute its
//    validation MAE (reconstruct with `inverseTransform`). Does the non-linear autoencoder beat the
//    linear projection?
// 3. **Which column is hardest?** Compute the validation MAE of each of the 8 columns separately and
//    draw it as a bar chart.
// 4. **Are the features useful?** Predict `median_house_value` (scaled to [0, 1] with a MinMaxScaler
//    fitted on training) with a small network (Dense 32 ReLU, Dense 1) from the 7 bottleneck
//    features, and from the 8 scaled columns; compare the validation MAE after 10 epochs.
// 5. **StandardScaler instead.** Why does the seed's model need the MinMaxScaler? Scale with
//    `StandardScaler` and look at how many scaled validation values the sigmoid output could never
//    produce.

// %% [solution]
{
  const trainRows = df.iloc({ rows: split.train.index as number[] });
  const testRows = df.iloc({ rows: split.test.index as number[] });
  const enc = oneHotEncode(trainRows, 'ocean_proximity');
  const encTest = oneHotEncode(testRows, 'ocean_proximity', { categories: enc.categories });
  const oneHotTrain = frameToTensor(enc.df, enc.columns);
  const oneHotTest = frameToTensor(encTest.df, enc.columns);
  const x13 = tf.concat([trainT, oneHotTrain], 1);
  const x13Test = tf.concat([testT, oneHotTest], 1);
  const ae13 = buildStackedAutoencoder({ inputShape: [13], hiddenSizes: [32, 16, 7], activation: 'relu', outputActivation: 'sigmoid', name: 'ae13' });
  compile(ae13.autoencoder, { optimizer: 'adam', loss: 'mae', metrics: ['mae'] });
  await fit(ae13.autoencoder, x13, x13, { epochs: P.epochs, batchSize: P.batchSize, verbose: 0 });
  const mae8 = tf.tidy(() => tf.mean(tf.abs(tf.sub((ae13.autoencoder.predict(x13Test) as tf.Tensor2D).slice([0, 0], [-1, 8]), testT))).dataSync()[0]);
  showMarkdown(`| model | validation MAE on the 8 numeric columns |\n| --- | ---: |\n| 8 columns | ${ourValMae.toFixed(4)} |\n| 8 + 5 one-hot columns | ${mae8.toFixed(4)} |`);
  tf.dispose([oneHotTrain, oneHotTest, x13, x13Test]);
  ae13.autoencoder.dispose();
}

// %% [solution]
{
  const pca7 = new PCA({ nComponents: 7 }).fit(trainT);
  const pcaMae = tf.tidy(() => tf.mean(tf.abs(tf.sub(pca7.inverseTransform(pca7.transform(testT)), testT))).dataSync()[0]);
  showMarkdown(`| 7-d code | validation MAE |\n| --- | ---: |\n| PCA-7 | ${pcaMae.toFixed(4)} |\n| autoencoder 32-16-7 | ${ourValMae.toFixed(4)} |`);
  console.log(`PCA-7 keeps ${(100 * Array.from(pca7.explainedVarianceRatio).reduce((a, b) => a + b, 0)).toFixed(2)} % of the variance of 8 columns: dropping one direction of 8 loses little, and the linear projection is hard to beat here.`);
}

// %% [solution]
{
  const perColumn = tf.tidy(() => Array.from(tf.mean(tf.abs(tf.sub(ae.autoencoder.predict(testT) as tf.Tensor2D, testT)), 0).dataSync()));
  showFigure(barChart(featureNames, perColumn, { title: 'Validation MAE per column (scaled units)', yTitle: 'MAE' }));
}

// %% [solution]
{
  const yScaler = new MinMaxScaler();
  const yTrain = tf.tensor2d(yScaler.fitTransform(numericColumn(df.iloc({ rows: split.train.index as number[] }), TARGET).map((v) => [v])));
  const yTest = tf.tensor2d(yScaler.transform(numericColumn(df.iloc({ rows: split.test.index as number[] }), TARGET).map((v) => [v])));
  const codesTest = ae.encoder.predict(testT) as tf.Tensor2D;
  const rows: string[] = [];
  for (const [name, xa, xb] of [['7 bottleneck features', codesT, codesTest], ['8 scaled columns', trainT, testT]] as const) {
    const reg = tf.sequential({ layers: [tf.layers.dense({ inputShape: [xa.shape[1]], units: 32, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    compile(reg, { optimizer: 'adam', loss: 'mae' });
    await fit(reg, xa, yTrain, { epochs: 10, batchSize: 32, verbose: 0 });
    rows.push(`| ${name} | ${evaluate(reg, xb, yTest, { verbose: 0 }).loss.toFixed(4)} |`);
    reg.dispose();
  }
  showMarkdown(['| inputs | validation MAE of the scaled house value |', '| --- | ---: |', ...rows].join('\n'));
  tf.dispose([yTrain, yTest, codesTest]);
}

// %% [solution]
{
  const std = new StandardScaler();
  const trainStd = scaleFrame(std, xTrain, { fit: true });
  const testStd = frameToRows(scaleFrame(std, xTest)).flat();
  const outside = testStd.filter((v) => v <= 0 || v >= 1).length;
  console.log(`standardised: ${outside} of ${testStd.length} validation values (${((100 * outside) / testStd.length).toFixed(1)} %) lie outside (0, 1), where a sigmoid output cannot reach: about half of every column is negative.`);
  const flat = frameToRows(trainStd).flat();
  console.log(`training range after standardising: ${flat.reduce((a, b) => Math.min(a, b)).toFixed(2)} .. ${flat.reduce((a, b) => Math.max(a, b)).toFixed(2)}`);
}

// %%
tf.dispose([trainT, testT, codesT]);
getCompiled(ae.autoencoder).optimizer.dispose();
ae.autoencoder.dispose();
console.log('tensors alive:', tf.memory().numTensors);
