// %% [markdown]
// # 12 · Variational autoencoders
//
// Seed 003's slides list four ideas behind the **variational autoencoder** (VAE): a *probabilistic
// framework*, the *reparameterisation trick*, *KL-divergence regularisation* and a *generative
// capability* ("not only learn to compress and decompress the data but also generate new, similar
// data"); seed 004 lists it among the regularised autoencoders. Neither gives code or numbers, so this
// notebook states the standard formulation (Kingma & Welling, 2014, as in Géron's chapter 17, the
// source of lecture 001), writes the `Sampling` layer, the encoder, the decoder and the loss as code,
// checks each formula numerically, trains a VAE on Fashion-MNIST, **samples new images from the
// prior**, and draws a **2-D latent map**.
//
// **What you need.** Notebook 08 (autoencoders, encoder/decoder models, a custom layer class) and 02
// (SELU, Adam).
//
// **How long.** Measured on a 2-core machine without GPU (README, course wall-time table): about 9
// s on the `smoke` profile, about 10 min (577 s, with the native oneDNN kernels) on `full`. To
// switch to the small sizes inside Jupyter without restarting, run
// `import { useProfile } from '../dist/lib/profile'; useProfile('smoke');` in a cell before the
// first code cell, then run the notebook from the top.
//
// Run the cells in order: later cells use names defined earlier.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed, makeRng } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, toTensors } from '../dist/lib/data';
import { compile, getCompiled, fit, summary, Callback, Adam, disposeModels } from '../dist/lib/train';
import { showFigure, lineChart, scatterByClass } from '../dist/lib/plots';
import { showImageGrid, showImageRows } from '../dist/lib/images';
import * as L from '../dist/lib/layers';
import { check12_1, check12_2, check12_3, check12_4, check12_5 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: 55,000 training images, batch 128, 25 epochs (the 2-D VAE 15, the exercises 5);
// smoke: a few hundred images and 2 epochs.
const P = profileSizes({
  full: { train: 55000, val: 5000, epochs: 25, epochs2d: 15, exerciseEpochs: 5, batchSize: 128, samples: 30, gridSize: 15, scatter: 5000 },
  smoke: { train: 600, val: 200, epochs: 2, epochs2d: 2, exerciseEpochs: 1, batchSize: 128, samples: 30, gridSize: 8, scatter: 200 },
});
console.log(P);

// %% [markdown]
// ## 1 · From an autoencoder to a generative model
//
// A plain autoencoder maps each image x to one code z. Its codes fill some irregular region of the
// latent space; a random point outside it decodes to garbage, so it cannot *generate*. A VAE's encoder
// outputs a **distribution** instead: a mean μ(x) and a log-variance log σ²(x) per latent unit, and the
// code is a sample
//
// $$z \sim q(z \mid x) = \mathcal{N}\big(\mu(x), \operatorname{diag}\sigma^2(x)\big).$$
//
// Training pushes every q(z | x) towards the **prior** p(z) = N(0, I). After training, the prior is
// where the codes are, and decoding z ~ N(0, I) gives new images.
//
// The loss is the negative *evidence lower bound* (ELBO), per image:
//
// $$\mathcal{L}(x) = \underbrace{-\,\mathbb{E}_{z \sim q(z\mid x)}\big[\log p(x \mid z)\big]}_{\text{reconstruction}} \;+\; \underbrace{D_{\mathrm{KL}}\big(q(z \mid x)\,\|\,\mathcal{N}(0, I)\big)}_{\text{regulariser}}$$
//
// With pixels in [0, 1] read as Bernoulli probabilities, the reconstruction term is the binary
// cross-entropy summed over the 784 pixels.

// %% [markdown]
// ## 2 · The reparameterisation trick
//
// Sampling is not differentiable in μ and σ: the gradient cannot flow through "draw z from
// N(μ, σ²)". The trick moves the randomness into an input ε that does not depend on the weights:
//
// $$z = \mu + \sigma \odot \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, I), \qquad \sigma = \exp\!\big(\tfrac12 \log \sigma^2\big).$$
//
// Now z is a plain function of μ and log σ², and ∂z/∂μ = 1, ∂z/∂σ = ε. A check: for f(z) = z²,
// E[f] = μ² + σ², so ∂E[f]/∂μ = 2μ and ∂E[f]/∂σ = 2σ. Averaging autodiff gradients of z² over many ε
// recovers them.

// %%
{
  const [value, dMu, dSigma] = tf.tidy(() => {
    const mu = tf.scalar(1.5);
    const sigma = tf.scalar(0.5);
    const eps = tf.randomNormal([200000]);
    const f = (m: tf.Tensor, s: tf.Tensor): tf.Scalar => tf.mean(tf.square(tf.add(m, tf.mul(s, eps)))) as tf.Scalar;
    const [gMu, gSigma] = tf.grads(f)([mu, sigma]);
    return [f(mu, sigma), gMu, gSigma].map((t) => t.dataSync()[0]);
  });
  showMarkdown(markdownTable(['quantity', 'formula', 'exact', 'Monte Carlo (200,000 ε)'], [
    ['E[z²]', 'μ² + σ²', (1.5 ** 2 + 0.5 ** 2).toFixed(4), value.toFixed(4)],
    ['∂E[z²]/∂μ', '2μ', (2 * 1.5).toFixed(4), dMu.toFixed(4)],
    ['∂E[z²]/∂σ', '2σ', (2 * 0.5).toFixed(4), dSigma.toFixed(4)],
  ]));
}

// %% [markdown]
// ## 3 · The KL term
//
// For a diagonal Gaussian against N(0, I) the KL divergence has a closed form, summed over the latent
// units j:
//
// $$D_{\mathrm{KL}} = -\tfrac12 \sum_j \big(1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2\big).$$
//
// It is 0 exactly when μ = 0 and σ = 1, grows with μ² (codes far from the origin) and punishes both
// σ → 0 (a point code, back to a plain autoencoder) and σ ≫ 1. As code, averaged over a batch of
// codes (rows):

// %%
/** KL(N(μ, σ²) || N(0, I)) per row, summed over the latent units, averaged over the rows. */
function klDivergence(mean: tf.Tensor, logVar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const perUnit = tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))); // 1 + log σ² − μ² − σ²
    return tf.mean(tf.mul(-0.5, tf.sum(perUnit, -1))) as tf.Scalar;
  });
}

// %% [markdown]
// Checked against a Monte Carlo estimate E_q[log q(z) − log p(z)] on a few (μ, log σ²) pairs, and
// against the library's `klDivergence` (the same formula, kept for later use and tests).

// %%
{
  const rng = makeRng(3);
  const cases: Array<[number[], number[]]> = [[[0, 0], [0, 0]], [[1, -1], [0, 0]], [[0.5, 0], [Math.log(0.25), Math.log(2)]], [[2, 0.3], [-2, 1]]];
  const logN = (z: number, m: number, v: number): number => -0.5 * (Math.log(2 * Math.PI * v) + ((z - m) ** 2) / v);
  const rows = cases.map(([m, lv]) => {
    const closed = tf.tidy(() => klDivergence(tf.tensor2d([m]), tf.tensor2d([lv])).dataSync()[0]);
    const library = tf.tidy(() => L.klDivergence(tf.tensor2d([m]), tf.tensor2d([lv])).dataSync()[0]);
    let mc = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m.length; j++) {
        const v = Math.exp(lv[j]);
        const z = m[j] + Math.sqrt(v) * rng.normal();
        mc += logN(z, m[j], v) - logN(z, 0, 1);
      }
    }
    return [`(${m.join(', ')})`, `(${lv.map((v) => v.toFixed(3)).join(', ')})`, closed.toFixed(4), library.toFixed(4), (mc / n).toFixed(4)];
  });
  showMarkdown(markdownTable(['μ', 'log σ²', 'closed form (ours)', 'library', 'Monte Carlo (100,000 draws)'], rows));
}

// %% [markdown]
// ## 4 · A VAE on Fashion-MNIST
//
// Géron's model: `Flatten`, Dense 150 and Dense 100 (SELU), then two Dense(10) heads for μ and
// log σ², the `Sampling` layer, and a mirrored decoder (100, 150, 784 sigmoid, `Reshape`).
//
// **The loss.** `compile` takes the reconstruction term as Keras does, the **mean** binary
// cross-entropy per pixel; the `Sampling` layer adds the KL term to the loss during training
// (`this.addLoss`), divided by 784 to keep the two terms in the ELBO's proportions (Géron:
// `K.mean(latent_loss) / 784.`). Multiply the reported loss by 784 to read it in nats per image.
//
// **The `Sampling` layer**: a custom layer (as in notebook 08) with two inputs, [μ, log σ²], one
// output z = μ + σ ⊙ ε. Its `call` adds the weighted KL as a loss when it runs in training mode, so
// that the KL counts for that training step only. (The library keeps a version with serialisation
// as `Sampling` in `lib/unsupervised`; a test pins the two VAEs together.)

// %%
class Sampling extends tf.layers.Layer {
  static className = 'Sampling';
  constructor(readonly klWeight = 1) {
    super({});
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0]; // z has the shape of μ
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const [mean, logVar] = inputs as tf.Tensor[];
    if (kwargs.training === true) this.addLoss(() => tf.mul(this.klWeight, klDivergence(mean, logVar)) as tf.Scalar);
    return tf.tidy(() => tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), tf.randomNormal(mean.shape)))); // μ + σ ε
  }
}

interface Vae { encoder: tf.LayersModel; decoder: tf.LayersModel; autoencoder: tf.LayersModel }
/** Géron's VAE: encoder 784-150-100 → (μ, log σ²) → z, decoder z → 100-150-784. */
function variationalAutoencoder(latentDim: number, klWeight = 1 / 784): Vae {
  const x = tf.input({ shape: [28, 28] });
  let h = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 150, activation: 'selu' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 100, activation: 'selu' }).apply(h) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: latentDim }).apply(h) as tf.SymbolicTensor;   // μ
  const logVar = tf.layers.dense({ units: latentDim }).apply(h) as tf.SymbolicTensor; // log σ²
  const z = new Sampling(klWeight).apply([mean, logVar]) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: [mean, logVar, z], name: 'vae_encoder' });

  const zIn = tf.input({ shape: [latentDim] });
  let g = tf.layers.dense({ units: 100, activation: 'selu' }).apply(zIn) as tf.SymbolicTensor;
  g = tf.layers.dense({ units: 150, activation: 'selu' }).apply(g) as tf.SymbolicTensor;
  g = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(g) as tf.SymbolicTensor;
  g = tf.layers.reshape({ targetShape: [28, 28] }).apply(g) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: zIn, outputs: g, name: 'vae_decoder' });

  const input = tf.input({ shape: [28, 28] });
  const codes = encoder.apply(input) as tf.SymbolicTensor[];
  const autoencoder = tf.model({ inputs: input, outputs: decoder.apply(codes[2]) as tf.SymbolicTensor, name: 'vae' });
  return { encoder, decoder, autoencoder };
}

/** The negative ELBO per image in nats: BCE summed over the 784 pixels + KL, averaged over the images. */
function negativeElbo(vae: Vae, x: tf.Tensor): { reconstruction: number; kl: number; total: number } {
  const [reconstruction, kl] = tf.tidy(() => {
    const [mean, logVar, z] = vae.encoder.predict(x) as tf.Tensor[];
    const xHat = tf.clipByValue(vae.decoder.predict(z) as tf.Tensor, 1e-7, 1 - 1e-7);
    const bce = tf.neg(tf.add(tf.mul(x, tf.log(xHat)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, xHat)))));
    const perImage = tf.sum(bce.reshape([x.shape[0], -1]), 1);
    return [tf.mean(perImage).dataSync()[0], klDivergence(mean, logVar).dataSync()[0]];
  });
  return { reconstruction, kl, total: reconstruction + kl };
}

// %%
const fm = await loadFashionMnist();
const split = seedSplit(fm, { train: P.train, val: P.val, test: 10 });
const classNames = fm.classNames;
const train = toTensors(split.train);
const val = toTensors(split.val);
console.log(`Fashion-MNIST from ${fm.source}: train ${train.x.shape}, val ${val.x.shape}`);

const LATENT = 10;
const vae = variationalAutoencoder(LATENT);
summary(vae.encoder);
summary(vae.decoder);

// %% [markdown]
// The training loss is BCE + KL / 784 (the KL is added in training passes only); the validation loss
// is the BCE alone. A small callback measures the KL on the validation images after every epoch, from
// the encoder's μ and log σ².

// %%
class KlMonitor extends Callback {
  readonly kl: number[] = [];
  constructor(private readonly encoder: tf.LayersModel, private readonly x: tf.Tensor) { super(); }
  override onEpochEnd(): void {
    const outs = this.encoder.predict(this.x, { batchSize: 512 }) as tf.Tensor[];
    this.kl.push(tf.tidy(() => klDivergence(outs[0], outs[1]).dataSync()[0]));
    tf.dispose(outs);
  }
}
compile(vae.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'binary_crossentropy' });
const klMonitor = new KlMonitor(vae.encoder, val.x);
const t0 = Date.now();
const vaeHistory = await fit(vae.autoencoder, train.x, train.x, {
  epochs: P.epochs, batchSize: P.batchSize, validationData: [val.x, val.x], callbacks: [klMonitor],
});
console.log(`${P.epochs} epochs in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const vaeValBce = vaeHistory.history.val_loss.at(-1) as number;
showFigure(lineChart([
  { name: 'reconstruction: validation BCE × 784 (nats)', y: vaeHistory.history.val_loss.map((v) => v * 784), x: vaeHistory.history.val_loss.map((_, e) => e + 1), markers: true },
  { name: 'KL on validation (nats)', y: klMonitor.kl, x: klMonitor.kl.map((_, e) => e + 1), markers: true },
], { title: 'The two terms of the VAE loss, per image', xTitle: 'epoch', yTitle: 'nats per image' }));

// %% [markdown]
// ### The price of the KL term
//
// The same encoder/decoder without sampling and KL (a stacked autoencoder 784-150-100-10 with a
// linear code, trained the same way). What to expect: the VAE gives up some reconstruction quality
// to keep its codes close to N(0, I); what it gains is in the next section. The sentence under the
// table says what this run found.

// %%
function plainAutoencoder(codeSize: number): Vae {
  const encoder = tf.sequential({ name: 'plain_encoder', layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    tf.layers.dense({ units: 150, activation: 'selu' }),
    tf.layers.dense({ units: 100, activation: 'selu' }),
    tf.layers.dense({ units: codeSize }), // linear code, like μ
  ] });
  const decoder = tf.sequential({ name: 'plain_decoder', layers: [
    tf.layers.dense({ units: 100, activation: 'selu', inputShape: [codeSize] }),
    tf.layers.dense({ units: 150, activation: 'selu' }),
    tf.layers.dense({ units: 784, activation: 'sigmoid' }),
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
}
const plain = plainAutoencoder(LATENT);
compile(plain.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'binary_crossentropy' });
const plainHistory = await fit(plain.autoencoder, train.x, train.x, { epochs: P.epochs, batchSize: P.batchSize, validationData: [val.x, val.x], verbose: 0 });
const plainValBce = plainHistory.history.val_loss.at(-1) as number;
const vaeKl = klMonitor.kl.at(-1) as number;
const elbo = negativeElbo(vae, val.x);
showMarkdown(markdownTable([`after ${P.epochs} epochs`, 'validation BCE (mean per pixel)', 'BCE × 784 (nats per image)', 'KL (nats per image)', 'negative ELBO (nats per image, one z per image)'], [
  ['VAE, 10-d latent', vaeValBce.toFixed(4), (vaeValBce * 784).toFixed(1), vaeKl.toFixed(1), elbo.total.toFixed(1)],
  ['plain AE, 10-d code', plainValBce.toFixed(4), (plainValBce * 784).toFixed(1), '—', '—'],
]));
showMarkdown(plainValBce < vaeValBce
  ? `The plain autoencoder reconstructs better (BCE ${plainValBce.toFixed(4)} < ${vaeValBce.toFixed(4)}): the price the VAE pays for its KL term, ${vaeKl.toFixed(1)} nats per image.`
  : `In this run the VAE reconstructs as well as or better than the plain autoencoder (BCE ${vaeValBce.toFixed(4)} ≤ ${plainValBce.toFixed(4)}): with so little training neither has used its code well yet; on the full profile expect the plain autoencoder to win on reconstruction.`);
{
  const first = val.x.slice([0, 0, 0], [12, 28, 28]);
  const outs = vae.encoder.predict(first) as tf.Tensor[];
  const fromMean = vae.decoder.predict(outs[0]) as tf.Tensor;
  const plainRecon = plain.autoencoder.predict(first) as tf.Tensor;
  showImageRows({ original: first, 'VAE (decoded μ)': fromMean, 'plain AE': plainRecon }, { scale: 2, cmap: 'binary' });
  tf.dispose([first, ...outs, fromMean, plainRecon]);
}

// %% [markdown]
// ## 5 · New images from the prior
//
// Draw z ~ N(0, I) in the 10-d latent space and decode. What to look for: the VAE's samples look
// like (blurry) clothes; the plain autoencoder's decoder, fed the same kind of random codes, mostly
// does not: its codes never had to fill N(0, I). A number for "looks like clothes": the mean squared
// distance from each sample to its nearest validation image (lower: closer to real garments).

// %%
setGlobalSeed(7);
const samples = tf.tidy(() => vae.decoder.predict(tf.randomNormal([P.samples, LATENT])) as tf.Tensor);
showMarkdown(`**VAE: ${P.samples} samples from N(0, I)**`);
showImageGrid(samples, { cols: 10, scale: 2, cmap: 'binary' });
const plainSamples = tf.tidy(() => plain.decoder.predict(tf.randomNormal([P.samples, LATENT])) as tf.Tensor);
showMarkdown(`**plain AE decoder fed N(0, I) codes**`);
showImageGrid(plainSamples, { cols: 10, scale: 2, cmap: 'binary' });
/** Mean over the samples of the MSE to the nearest image of `pool`. */
function nearestImageMse(images: tf.Tensor, pool: tf.Tensor): number {
  return tf.tidy(() => {
    const a = images.reshape([images.shape[0], -1]);
    const b = pool.reshape([pool.shape[0], -1]);
    // ||a - b||² = ||a||² − 2 a·b + ||b||², for every pair
    const d = tf.sum(tf.square(a), 1, true).sub(tf.matMul(a, b, false, true).mul(2)).add(tf.sum(tf.square(b), 1).reshape([1, -1]));
    return tf.mean(tf.min(d, 1)).dataSync()[0] / a.shape[1]!;
  });
}
const vaeNearest = nearestImageMse(samples, val.x);
const plainNearest = nearestImageMse(plainSamples, val.x);
showMarkdown(markdownTable(['decoder fed N(0, I)', 'mean MSE to the nearest validation image'], [['VAE', vaeNearest.toFixed(4)], ['plain AE', plainNearest.toFixed(4)]]) + '\n\n'
  + (vaeNearest < plainNearest
    ? 'The VAE\'s samples are closer to real garments than the plain decoder\'s: sampling from the prior works for the model trained to fill it.'
    : 'In this run the plain decoder\'s samples are as close to real images as the VAE\'s: look at the grids above; with little training both produce blobs.'));
tf.dispose([samples, plainSamples]);

// %% [markdown]
// ### Walking in the latent space
//
// Because the codes are packed around the origin, the straight line between two images' codes stays
// in a region the decoder knows: decoding points along it should morph one garment into the other
// (*semantic interpolation*); look for gradual changes rather than jumps.

// %%
{
  const pairs: Array<[number, number]> = [];
  const labels = Array.from(split.val.labels);
  for (const [a, b] of [[9, 5], [0, 3], [2, 8]]) pairs.push([labels.indexOf(a), labels.indexOf(b)]);
  const rows: Record<string, tf.Tensor> = {};
  for (const [i, j] of pairs) {
    const mus = tf.tidy(() => (vae.encoder.predict(tf.gather(val.x, [i, j])) as tf.Tensor[])[0]);
    const steps = tf.tidy(() => {
      const t = tf.linspace(0, 1, 9).reshape([9, 1]);
      const za = mus.slice([0, 0], [1, LATENT]);
      const zb = mus.slice([1, 0], [1, LATENT]);
      return vae.decoder.predict(za.mul(tf.sub(1, t)).add(zb.mul(t))) as tf.Tensor;
    });
    rows[`${classNames[labels[i]]} → ${classNames[labels[j]]}`] = steps;
    mus.dispose();
  }
  showImageRows(rows, { scale: 2, cmap: 'binary' });
  tf.dispose(Object.values(rows));
}

// %% [markdown]
// ## 6 · A 2-D latent map
//
// With a 2-D latent space the whole space can be drawn. A second VAE, same layers but `latentDim: 2`:
//
// * **the codings scattered by class**: the means μ(x) of validation images. The KL term should keep
//   them within a few units of the origin (the line under the plot measures it), with similar
//   garments next to each other;
// * **the decoded grid**: decode a regular grid of points z = (z₁, z₂). The grid runs over the
//   quantiles 5 %…95 % of N(0, 1) on each axis (Φ⁻¹ of evenly spaced probabilities, as in the Keras VAE
//   example), so it covers the region where the prior puts its mass.

// %%
const vae2 = variationalAutoencoder(2);
compile(vae2.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'binary_crossentropy' });
const kl2 = new KlMonitor(vae2.encoder, val.x);
const h2 = await fit(vae2.autoencoder, train.x, train.x, { epochs: P.epochs2d, batchSize: P.batchSize, validationData: [val.x, val.x], callbacks: [kl2] });
const nScatter = Math.min(P.scatter, split.val.count);
const mu2 = tf.tidy(() => (vae2.encoder.predict(val.x.slice([0, 0, 0], [nScatter, 28, 28])) as tf.Tensor[])[0]);
showFigure(scatterByClass(mu2, Array.from(split.val.labels.slice(0, nScatter)), classNames, { title: `2-D VAE: μ(x) of ${nScatter} validation images`, xTitle: 'z₁', yTitle: 'z₂' }));
{
  const radii = tf.tidy(() => Array.from(tf.sqrt(tf.sum(tf.square(mu2), 1)).dataSync()));
  const within3 = radii.filter((r) => r <= 3).length / radii.length;
  console.log(`${(within3 * 100).toFixed(1)} % of the codes lie within 3 units of the origin (largest distance ${Math.max(...radii).toFixed(2)})`);
}
mu2.dispose();
console.log(`2-D VAE after ${P.epochs2d} epochs: validation BCE ${(h2.history.val_loss.at(-1) as number).toFixed(4)}, KL ${(kl2.kl.at(-1) as number).toFixed(2)} nats`);

// %%
/** Φ⁻¹(p), the standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
const n = P.gridSize;
const axis = Array.from({ length: n }, (_, i) => normalQuantile(0.05 + (0.9 * i) / (n - 1)));
console.log(`grid axis (${n} points): ${axis.map((v) => v.toFixed(2)).join(', ')}`);
const gridZ: number[][] = [];
for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) gridZ.push([axis[c], axis[n - 1 - r]]); // z₂ grows upwards
const gridImages = tf.tidy(() => vae2.decoder.predict(tf.tensor2d(gridZ)) as tf.Tensor);
showMarkdown(`**2-D VAE: decoded ${n} x ${n} grid, z₁ left to right, z₂ bottom to top**`);
showImageGrid(gridImages, { cols: n, gap: 0, scale: 1, cmap: 'binary' });
gridImages.dispose();

// %% [markdown]
// ## Summary
//
// The VAE in code: a `Sampling` layer (z = μ + σ ε, adding the KL as a loss in training), an encoder
// with two heads (μ, log σ²), a mirrored decoder, and the loss BCE + KL / 784. The seeds name the
// VAE's ideas but print no VAE numbers; the table collects ours (on the smoke profile, a few hundred
// images and 2 epochs, expect grey blobs; the full profile trains on 55,000 images).

// %%
showMarkdown(markdownTable(['quantity', 'seeds 003 / 004', 'ours'], [
  ['reparameterisation gradient, KL closed form', 'named, no numbers', 'checked by Monte Carlo (sections 2, 3)'],
  [`10-d VAE validation BCE per pixel / KL (nats) after ${P.epochs} epochs`, '—', `${vaeValBce.toFixed(4)} / ${vaeKl.toFixed(1)}`],
  ['10-d VAE negative ELBO on validation (nats per image)', '—', elbo.total.toFixed(1)],
  ['plain AE (same layers) validation BCE per pixel', '—', plainValBce.toFixed(4)],
  [`2-D VAE validation BCE per pixel / KL (nats) after ${P.epochs2d} epochs`, '—', `${(h2.history.val_loss.at(-1) as number).toFixed(4)} / ${(kl2.kl.at(-1) as number).toFixed(2)}`],
  ['samples from the prior: MSE to the nearest validation image, VAE / plain AE', '"generate new, similar data"', `${vaeNearest.toFixed(4)} / ${plainNearest.toFixed(4)}`],
]));

// %% [markdown]
// ## Exercises
//
// **Exercise 1 · β-VAE.** Write `betaVae(beta)`: the 10-d VAE of section 4 with the KL weighted β
// times more (`klWeight: beta / 784`). Then train β = 4 and β = 0.25 as above and compare validation
// BCE, KL and samples from the prior. Which one generates better, which one reconstructs better?

// %%
let betaVae: ((beta: number) => Vae) | undefined;
// ### BEGIN SOLUTION
betaVae = (beta: number) => variationalAutoencoder(LATENT, beta / 784);
{
  const rows: (string | number)[][] = [[`β = 1 (section 4)`, P.epochs, vaeValBce.toFixed(4), vaeKl.toFixed(1)]];
  for (const beta of [0.25, 4]) {
    setGlobalSeed(42);
    const m = betaVae(beta);
    compile(m.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'binary_crossentropy' });
    const mon = new KlMonitor(m.encoder, val.x);
    const h = await fit(m.autoencoder, train.x, train.x, { epochs: P.exerciseEpochs, batchSize: P.batchSize, validationData: [val.x, val.x], verbose: 0, callbacks: [mon] });
    rows.push([`β = ${beta}`, P.exerciseEpochs, (h.history.val_loss.at(-1) as number).toFixed(4), (mon.kl.at(-1) as number).toFixed(1)]);
    const s = tf.tidy(() => m.decoder.predict(tf.randomNormal([10, LATENT])) as tf.Tensor);
    showMarkdown(`**β = ${beta}: samples from the prior**`);
    showImageGrid(s, { cols: 10, scale: 2, cmap: 'binary' });
    s.dispose();
    getCompiled(m.autoencoder).optimizer.dispose();
    disposeModels([m.autoencoder]);
  }
  showMarkdown(markdownTable(['model', 'epochs', 'validation BCE', 'KL (nats)'], rows));
}
// ### END SOLUTION

// %%
await check12_1({ betaVae: betaVae });

// %% [markdown]
// **Exercise 2 · No KL at all.** With `klWeight: 0` the sampling layer still adds noise, but nothing
// pulls the codes to N(0, I). Write `muSpread(encoder, x)`: from the encoder's μ (its first output)
// on the images `x`, the mean over latent units of |mean of μⱼ over the images| (`meanAbs`) and the
// mean over latent units of the standard deviation of μⱼ over the images (`meanStd`). Then train a
// VAE with `klWeight: 0` and compare its spread with the VAE of section 4, and its samples.

// %%
let muSpread: ((encoder: tf.LayersModel, x: tf.Tensor) => { meanAbs: number; meanStd: number }) | undefined;
// ### BEGIN SOLUTION
muSpread = (encoder: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => {
  const mu = (encoder.predict(x) as tf.Tensor[])[0];
  const { mean, variance } = tf.moments(mu, 0);
  return { meanAbs: tf.mean(tf.abs(mean)).dataSync()[0], meanStd: tf.mean(tf.sqrt(variance)).dataSync()[0] };
});
{
  const m = variationalAutoencoder(LATENT, 0);
  compile(m.autoencoder, { optimizer: Adam({ learningRate: 0.001 }), loss: 'binary_crossentropy' });
  await fit(m.autoencoder, train.x, train.x, { epochs: P.exerciseEpochs, batchSize: P.batchSize, verbose: 0 });
  const a = muSpread(m.encoder, val.x);
  const b = muSpread(vae.encoder, val.x);
  showMarkdown(markdownTable(['VAE', 'mean abs(mean of μⱼ)', 'mean std of μⱼ'], [['no KL', a.meanAbs.toFixed(2), a.meanStd.toFixed(2)], ['with KL (section 4)', b.meanAbs.toFixed(2), b.meanStd.toFixed(2)]]));
  const s = tf.tidy(() => m.decoder.predict(tf.randomNormal([10, LATENT])) as tf.Tensor);
  showMarkdown('**klWeight 0: samples from the prior**');
  showImageGrid(s, { cols: 10, scale: 2, cmap: 'binary' });
  s.dispose();
  getCompiled(m.autoencoder).optimizer.dispose();
  disposeModels([m.autoencoder]);
}
// ### END SOLUTION

// %%
await check12_2({ muSpread: muSpread });

// %% [markdown]
// **Exercise 3 · Generate a chosen class.** Write `samplesAround(encoder, decoder, images, count, std)`:
// the mean of the encoder's μ over `images`, plus N(0, std²) noise drawn `count` times, decoded
// (a tensor of `count` images). Use it with the 10-d VAE on the validation sneakers. Are they all
// sneakers?

// %%
let samplesAround: ((encoder: tf.LayersModel, decoder: tf.LayersModel, images: tf.Tensor, count: number, std: number) => tf.Tensor) | undefined;
// ### BEGIN SOLUTION
samplesAround = (encoder: tf.LayersModel, decoder: tf.LayersModel, images: tf.Tensor, count: number, std: number) => tf.tidy(() => {
  const mu = (encoder.predict(images) as tf.Tensor[])[0];
  const centre = tf.mean(mu, 0, true);
  return decoder.predict(centre.add(tf.randomNormal([count, mu.shape[1]!], 0, std))) as tf.Tensor;
});
{
  const sneaker = classNames.indexOf('Sneaker');
  const idx = Array.from(split.val.labels).flatMap((l, i) => (l === sneaker ? [i] : []));
  const sneakers = tf.gather(val.x, idx);
  const images = samplesAround(vae.encoder, vae.decoder, sneakers, 10, 0.5);
  showMarkdown(`**around the mean code of ${idx.length} validation sneakers**`);
  showImageGrid(images, { cols: 10, scale: 2, cmap: 'binary' });
  tf.dispose([sneakers, images]);
}
// ### END SOLUTION

// %%
await check12_3({ samplesAround: samplesAround });

// %% [markdown]
// **Exercise 4 · Where is σ?** Write `meanSigma(logVar)`: for a `[n, d]` tensor of log σ², the mean
// σ = exp(½ log σ²) of each latent unit over the n rows (an array of d numbers). Print it for the
// 2-D VAE's validation codes and compare it with the spread of μ: how much of each code is "noise"?

// %%
let meanSigma: ((logVar: tf.Tensor) => number[]) | undefined;
// ### BEGIN SOLUTION
meanSigma = (logVar: tf.Tensor) => tf.tidy(() => Array.from(tf.mean(tf.exp(tf.mul(0.5, logVar)), 0).dataSync()));
{
  const outs = vae2.encoder.predict(val.x) as tf.Tensor[]; // [μ, log σ², z]
  const sigma = meanSigma(outs[1]);
  const muStd = tf.tidy(() => Array.from(tf.sqrt(tf.moments(outs[0], 0).variance).dataSync()));
  showMarkdown(markdownTable(['latent unit', 'std of μ over images', 'mean σ'], [0, 1].map((j) => [`z${j + 1}`, muStd[j].toFixed(3), sigma[j].toFixed(3)])));
  tf.dispose(outs);
}
// ### END SOLUTION

// %%
await check12_4({ meanSigma: meanSigma });

// %% [markdown]
// **Exercise 5 · KL between two Gaussians.** The KL term compares q(z | x) with N(0, I). Write the
// general closed form for two diagonal Gaussians, on plain arrays (one value per latent unit):
//
// $$D_{\mathrm{KL}}\big(\mathcal N(\mu_1, \sigma_1^2)\,\|\,\mathcal N(\mu_2, \sigma_2^2)\big) = \tfrac12 \sum_j \Big(\log\sigma_{2,j}^2 - \log\sigma_{1,j}^2 + \frac{\sigma_{1,j}^2 + (\mu_{1,j} - \mu_{2,j})^2}{\sigma_{2,j}^2} - 1\Big)$$
//
// as `klGaussians(mu1, logVar1, mu2, logVar2)`, and check that with μ₂ = 0, log σ₂² = 0 it gives
// the same number as `klDivergence`.

// %%
let klGaussians: ((mu1: number[], logVar1: number[], mu2: number[], logVar2: number[]) => number) | undefined;
// ### BEGIN SOLUTION
klGaussians = (mu1: number[], logVar1: number[], mu2: number[], logVar2: number[]) =>
  0.5 * mu1.reduce((s, _, j) => s + logVar2[j] - logVar1[j] + (Math.exp(logVar1[j]) + (mu1[j] - mu2[j]) ** 2) / Math.exp(logVar2[j]) - 1, 0);
{
  const ours = klGaussians([0.5, -1], [0.2, -0.3], [0, 0], [0, 0]);
  const standard = tf.tidy(() => klDivergence(tf.tensor2d([[0.5, -1]]), tf.tensor2d([[0.2, -0.3]])).dataSync()[0]);
  console.log(`klGaussians against N(0, I): ${ours.toFixed(6)}; klDivergence: ${standard.toFixed(6)}`);
}
// ### END SOLUTION

// %%
await check12_5({ klGaussians: klGaussians });

// %% [markdown]
// ## The end of the course
//
// Free the models and the data (the cell below). This was the last notebook: back to the
// [course index in the README](../README.md) for the list of notebooks, the measured times and how
// to run them all.

// %%
for (const m of [vae.autoencoder, vae2.autoencoder, plain.autoencoder]) getCompiled(m).optimizer.dispose();
disposeModels([vae.autoencoder, vae2.autoencoder, plain.autoencoder]);
tf.dispose([train.x, train.y, val.x, val.y]);
console.log('tensors alive:', tf.memory().numTensors);
