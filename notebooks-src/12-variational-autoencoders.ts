// %% [markdown]
// # 12 · Variational autoencoders
//
// Seed 003's slides list four ideas behind the **variational autoencoder** (VAE): a *probabilistic
// framework*, the *reparameterisation trick*, *KL-divergence regularisation* and a *generative
// capability* ("not only learn to compress and decompress the data but also generate new, similar
// data"); seed 004 lists it among the regularised autoencoders. Neither gives code or numbers, so this
// notebook states the standard formulation (Kingma & Welling, 2014, as in Géron's chapter 17, the
// source of lecture 001), checks each formula numerically, trains a VAE on Fashion-MNIST, **samples new
// images from the prior**, and draws a **2-D latent map**.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed, makeRng } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadFashionMnist, seedSplit } from '../dist/lib/data/fashion-mnist';
import { toTensors } from '../dist/lib/data/tensors';
import { compile, getCompiled } from '../dist/lib/train/compile';
import { fit, evaluate } from '../dist/lib/train/fit';
import { summary } from '../dist/lib/train/summary';
import { Callback } from '../dist/lib/train/callbacks';
import { showFigure, lineChart, scatterByClass } from '../dist/lib/plots';
import { showImageGrid, showImageRows } from '../dist/lib/images';
import { buildVariationalAutoencoder, buildStackedAutoencoder, sampleFromPrior, klDivergence } from '../dist/lib/unsupervised';

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
// Now z is a plain function of μ and log σ², and ∂z/∂μ = 1, ∂z/∂σ = ε. The library's `Sampling` layer
// computes exactly this (`lib/unsupervised/sampling.ts`). A check: for f(z) = z², E[f] = μ² + σ², so
// ∂E[f]/∂μ = 2μ and ∂E[f]/∂σ = 2σ. Averaging autodiff gradients of z² over many ε recovers them.

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
  showMarkdown([
    '| quantity | formula | exact | Monte Carlo (200,000 ε) |',
    '| --- | --- | ---: | ---: |',
    `| E[z²] | μ² + σ² | ${(1.5 ** 2 + 0.5 ** 2).toFixed(4)} | ${value.toFixed(4)} |`,
    `| ∂E[z²]/∂μ | 2μ | ${(2 * 1.5).toFixed(4)} | ${dMu.toFixed(4)} |`,
    `| ∂E[z²]/∂σ | 2σ | ${(2 * 0.5).toFixed(4)} | ${dSigma.toFixed(4)} |`,
  ].join('\n'));
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
// σ → 0 (a point code, back to a plain autoencoder) and σ ≫ 1. Below, `klDivergence` (the library's
// formula) against a Monte Carlo estimate E_q[log q(z) − log p(z)] on a few (μ, log σ²) pairs.

// %%
{
  const rng = makeRng(3);
  const cases: Array<[number[], number[]]> = [[[0, 0], [0, 0]], [[1, -1], [0, 0]], [[0.5, 0], [Math.log(0.25), Math.log(2)]], [[2, 0.3], [-2, 1]]];
  const logN = (z: number, m: number, v: number): number => -0.5 * (Math.log(2 * Math.PI * v) + ((z - m) ** 2) / v);
  const rows = cases.map(([m, lv]) => {
    const closed = tf.tidy(() => klDivergence(tf.tensor2d([m]), tf.tensor2d([lv])).dataSync()[0]);
    let mc = 0;
    const n = 100000;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m.length; j++) {
        const v = Math.exp(lv[j]);
        const z = m[j] + Math.sqrt(v) * rng.normal();
        mc += logN(z, m[j], v) - logN(z, 0, 1);
      }
    }
    return `| (${m.join(', ')}) | (${lv.map((v) => v.toFixed(3)).join(', ')}) | ${closed.toFixed(4)} | ${(mc / n).toFixed(4)} |`;
  });
  showMarkdown(['| μ | log σ² | closed form | Monte Carlo (100,000 draws) |', '| --- | --- | ---: | ---: |', ...rows].join('\n'));
}

// %% [markdown]
// ## 4 · A VAE on Fashion-MNIST
//
// Géron's model: `Flatten`, Dense 150 and Dense 100 (SELU), then two Dense(10) heads for μ and
// log σ², the `Sampling` layer, and a mirrored decoder (100, 150, 784 sigmoid, `Reshape`). The
// library compiles the reconstruction term as Keras does, the **mean** binary cross-entropy per pixel,
// so the `Sampling` layer adds KL / 784 to keep the two terms in the ELBO's proportions (Géron:
// `K.mean(latent_loss) / 784.`). Multiply the reported loss by 784 to read it in nats per image.
// Optimiser: Adam (learning rate 0.001), batch 128.

// %%
const fm = await loadFashionMnist();
const split = seedSplit(fm, { train: P.train, val: P.val, test: 10 });
const classNames = fm.classNames;
const train = toTensors(split.train);
const val = toTensors(split.val);
console.log(`Fashion-MNIST from ${fm.source}: train ${train.x.shape}, val ${val.x.shape}`);

const LATENT = 10;
const vae = buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: LATENT });
summary(vae.encoder);
void summary(vae.decoder);

// %% [markdown]
// The training loss is BCE + KL / 784 (the KL is added in training passes only); `evaluate` and the
// validation loss are the BCE alone. A small callback measures the KL on the validation images after
// every epoch, from the encoder's μ and log σ².

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
compile(vae.autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
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
// The same encoder/decoder without sampling and KL (a stacked autoencoder 784-150-100-10, trained the
// same way) reconstructs better: the VAE gives up some reconstruction quality to keep its codes close
// to N(0, I). What it gains is in the next section.

// %%
const plain = buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100, LATENT], activation: 'selu', codeActivation: 'linear', outputActivation: 'sigmoid', name: 'plain_ae' });
compile(plain.autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
const plainHistory = await fit(plain.autoencoder, train.x, train.x, { epochs: P.epochs, batchSize: P.batchSize, validationData: [val.x, val.x], verbose: 0 });
const plainValBce = plainHistory.history.val_loss.at(-1) as number;
const vaeKl = klMonitor.kl.at(-1) as number;
showMarkdown([
  `| after ${P.epochs} epochs | validation BCE (mean per pixel) | BCE × 784 (nats per image) | KL (nats per image) | negative ELBO (nats per image) |`,
  '| --- | ---: | ---: | ---: | ---: |',
  `| VAE, 10-d latent | ${vaeValBce.toFixed(4)} | ${(vaeValBce * 784).toFixed(1)} | ${vaeKl.toFixed(1)} | ${(vaeValBce * 784 + vaeKl).toFixed(1)} |`,
  `| plain AE, 10-d code | ${plainValBce.toFixed(4)} | ${(plainValBce * 784).toFixed(1)} | — | — |`,
].join('\n'));
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
// Draw z ~ N(0, I) in the 10-d latent space and decode (`sampleFromPrior`). The VAE's samples look
// like blurry clothes; the plain autoencoder's decoder, fed the same kind of random codes, mostly does
// not: its codes never had to fill N(0, I).

// %%
setGlobalSeed(7);
const samples = sampleFromPrior(vae.decoder, P.samples, LATENT);
showMarkdown(`**VAE: ${P.samples} samples from N(0, I)**`);
showImageGrid(samples, { cols: 10, scale: 2, cmap: 'binary' });
const plainSamples = tf.tidy(() => plain.decoder.predict(tf.randomNormal([P.samples, LATENT])) as tf.Tensor);
showMarkdown(`**plain AE decoder fed N(0, I) codes**`);
showImageGrid(plainSamples, { cols: 10, scale: 2, cmap: 'binary' });
tf.dispose([samples, plainSamples]);

// %% [markdown]
// ### Walking in the latent space
//
// Because the codes are packed around the origin, the straight line between two images' codes stays
// in a region the decoder knows: decoding points along it morphs one garment into the other
// (*semantic interpolation*).

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
// * **the codings scattered by class**: the means μ(x) of validation images. The KL term keeps them
//   within a few units of the origin, and similar garments land next to each other;
// * **the decoded grid**: decode a regular grid of points z = (z₁, z₂). The grid runs over the
//   quantiles 5 %…95 % of N(0, 1) on each axis (Φ⁻¹ of evenly spaced probabilities, as in the Keras VAE
//   example), so it covers the region where the prior puts its mass.

// %%
const vae2 = buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: 2 });
compile(vae2.autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
const kl2 = new KlMonitor(vae2.encoder, val.x);
const h2 = await fit(vae2.autoencoder, train.x, train.x, { epochs: P.epochs2d, batchSize: P.batchSize, validationData: [val.x, val.x], callbacks: [kl2] });
const nScatter = Math.min(P.scatter, split.val.count);
const mu2 = tf.tidy(() => (vae2.encoder.predict(val.x.slice([0, 0, 0], [nScatter, 28, 28])) as tf.Tensor[])[0]);
showFigure(scatterByClass(mu2, Array.from(split.val.labels.slice(0, nScatter)), classNames, { title: `2-D VAE: μ(x) of ${nScatter} validation images`, xTitle: 'z₁', yTitle: 'z₂' }));
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
// The seeds name the VAE's ideas but print no VAE numbers; the table collects ours. On the smoke
// profile (600 images, 2 epochs) the samples are grey blobs; on the full profile they are recognisable
// garments.

// %%
showMarkdown([
  '| quantity | seeds 003 / 004 | ours |',
  '| --- | --- | ---: |',
  '| reparameterisation gradient, KL closed form | named, no numbers | checked by Monte Carlo (sections 2, 3) |',
  `| 10-d VAE validation BCE per pixel / KL (nats) after ${P.epochs} epochs | — | ${vaeValBce.toFixed(4)} / ${vaeKl.toFixed(1)} |`,
  `| plain AE (same layers) validation BCE per pixel | — | ${plainValBce.toFixed(4)} |`,
  `| 2-D VAE validation BCE per pixel / KL (nats) after ${P.epochs2d} epochs | — | ${(h2.history.val_loss.at(-1) as number).toFixed(4)} / ${(kl2.kl.at(-1) as number).toFixed(2)} |`,
  `| samples from the prior | "generate new, similar data" | ${P.samples} images (section 5) |`,
].join('\n'));

// %% [markdown]
// ## Exercises
//
// 1. **β-VAE.** Rebuild the 10-d VAE with `klWeight: 4 / 784` (β = 4) and with `klWeight: 0.25 / 784`,
//    train each as above, and compare validation BCE, KL and samples from the prior. Which one
//    generates better, which one reconstructs better?
// 2. **No KL at all.** With `klWeight: 0` the sampling layer still adds noise, but nothing pulls the
//    codes to N(0, I). Train it and look at (a) the spread of μ(x) (mean and standard deviation of
//    each latent unit over the validation images) and (b) samples from the prior.
// 3. **Generate a chosen class.** With the 10-d VAE, take the mean μ of all validation images of
//    "Sneaker", add N(0, 0.5²) noise to it 10 times and decode. Are they all sneakers?
// 4. **Where is σ?** For the 2-D VAE, print the mean σ = exp(½ log σ²) of the validation codes. Compare
//    it with the spread of μ over the validation images: how much of each code is "noise"?

// %% [solution]
{
  const rows: string[] = [];
  for (const beta of [0.25, 4]) {
    setGlobalSeed(42);
    const m = buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: LATENT, klWeight: beta / 784 });
    compile(m.autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
    const mon = new KlMonitor(m.encoder, val.x);
    const h = await fit(m.autoencoder, train.x, train.x, { epochs: P.exerciseEpochs, batchSize: P.batchSize, validationData: [val.x, val.x], verbose: 0, callbacks: [mon] });
    rows.push(`| β = ${beta} | ${P.exerciseEpochs} | ${(h.history.val_loss.at(-1) as number).toFixed(4)} | ${(mon.kl.at(-1) as number).toFixed(1)} |`);
    const s = sampleFromPrior(m.decoder, 10, LATENT);
    showMarkdown(`**β = ${beta}: samples from the prior**`);
    showImageGrid(s, { cols: 10, scale: 2, cmap: 'binary' });
    s.dispose();
    m.autoencoder.dispose();
  }
  showMarkdown(['| model | epochs | validation BCE | KL (nats) |', '| --- | ---: | ---: | ---: |', `| β = 1 (section 4) | ${P.epochs} | ${vaeValBce.toFixed(4)} | ${vaeKl.toFixed(1)} |`, ...rows].join('\n'));
}

// %% [solution]
{
  const m = buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: LATENT, klWeight: 0 });
  compile(m.autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
  await fit(m.autoencoder, train.x, train.x, { epochs: P.exerciseEpochs, batchSize: P.batchSize, verbose: 0 });
  const spread = (enc: tf.LayersModel): string => tf.tidy(() => {
    const mu = (enc.predict(val.x) as tf.Tensor[])[0];
    const { mean, variance } = tf.moments(mu, 0);
    return `mean |μ| ${tf.mean(tf.abs(mean)).dataSync()[0].toFixed(2)}, mean std of μ ${tf.mean(tf.sqrt(variance)).dataSync()[0].toFixed(2)}`;
  });
  console.log(`no KL:  ${spread(m.encoder)}`);
  console.log(`with KL: ${spread(vae.encoder)}`);
  const s = sampleFromPrior(m.decoder, 10, LATENT);
  showMarkdown(`**klWeight 0: samples from the prior**`);
  showImageGrid(s, { cols: 10, scale: 2, cmap: 'binary' });
  s.dispose();
  m.autoencoder.dispose();
}

// %% [solution]
{
  const sneaker = classNames.indexOf('Sneaker');
  const idx = Array.from(split.val.labels).flatMap((l, i) => (l === sneaker ? [i] : []));
  const images = tf.tidy(() => {
    const mu = (vae.encoder.predict(tf.gather(val.x, idx)) as tf.Tensor[])[0];
    const centre = tf.mean(mu, 0, true);
    return vae.decoder.predict(centre.add(tf.randomNormal([10, LATENT], 0, 0.5))) as tf.Tensor;
  });
  showMarkdown(`**around the mean code of ${idx.length} validation sneakers**`);
  showImageGrid(images, { cols: 10, scale: 2, cmap: 'binary' });
  images.dispose();
}

// %% [solution]
{
  const [muMean, sigmaMean, muStd] = tf.tidy(() => {
    const [mu, logVar] = vae2.encoder.predict(val.x) as tf.Tensor[];
    const sigma = tf.exp(tf.mul(0.5, logVar));
    return [tf.mean(tf.abs(mu), 0), tf.mean(sigma, 0), tf.sqrt(tf.moments(mu, 0).variance)].map((t) => Array.from(t.dataSync()));
  });
  showMarkdown(['| latent unit | mean abs(μ) | std of μ over images | mean σ |', '| ---: | ---: | ---: | ---: |', ...[0, 1].map((j) => `| z${j + 1} | ${muMean[j].toFixed(3)} | ${muStd[j].toFixed(3)} | ${sigmaMean[j].toFixed(3)} |`)].join('\n'));
}

// %%
for (const m of [vae.autoencoder, vae2.autoencoder, plain.autoencoder]) {
  getCompiled(m).optimizer.dispose();
  m.dispose();
}
tf.dispose([train.x, train.y, val.x, val.y]);
console.log('tensors alive:', tf.memory().numTensors);
