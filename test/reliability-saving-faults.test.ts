// Issue 20, saved models: a folder whose parts do not belong together (weights longer than the
// manifest, a save torn between its two renames) is refused with a message naming the file;
// tfjs's and Node's errors are given with the file and the fix; stale temporary files of
// interrupted saves are cleaned (only ours, only old ones).
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSVLogger } from '../lib/train/callbacks';
import { compile } from '../lib/train/compile';
import { loadModel, saveModel } from '../lib/train/saving';
import { openToAll, runUnprivileged } from './helpers/unprivileged';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-save-faults-'));
afterAll(() => {
  for (const f of walk(tmp)) fs.chmodSync(f, 0o700);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return fs.statSync(p).isDirectory() ? [p, ...walk(p)] : [p];
  });
}

function mlp(hidden: number): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: hidden, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('a saved folder whose parts do not match is refused', () => {
  it('weights.bin longer than model.json says', async () => {
    const dir = path.join(tmp, 'long');
    const model = mlp(5);
    await saveModel(model, dir);
    fs.appendFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(12));
    await expect(loadModel(dir)).rejects.toThrow(
      new RegExp(`loadModel: ${path.join(dir, 'weights.bin')} has 184 bytes but model.json says 172: .*save the model again`),
    );
    model.dispose();
  });

  it('a checkpoint torn between its renames (new weights.bin, old model.json) with the same size', async () => {
    const dir = path.join(tmp, 'torn');
    const a = mlp(5);
    const b = mlp(5);
    await saveModel(a, dir);
    const oldJson = fs.readFileSync(path.join(dir, 'model.json'));
    await saveModel(b, dir);
    fs.writeFileSync(path.join(dir, 'model.json'), oldJson); // as if the second rename never happened
    await expect(loadModel(dir)).rejects.toThrow(/loadModel: .*weights\.bin does not match .*model\.json \(its sha256 is [0-9a-f]{64}, model\.json records [0-9a-f]{64}\): the folder holds parts of two different saves/);
    a.dispose();
    b.dispose();
  });

  it('a torn checkpoint where the architecture changed (tfjs layout, no hash: sizes differ)', async () => {
    const dir = path.join(tmp, 'torn-arch');
    const a = mlp(5);
    const b = mlp(7);
    await saveModel(a, dir);
    const oldJson = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    delete oldJson.tsdlWeights; // a folder written by tfjs itself records no hash
    await saveModel(b, dir);
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(oldJson));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`loadModel: ${path.join(dir, 'weights.bin')} has 236 bytes but model.json says 172`));
    a.dispose();
    b.dispose();
  });

  it('a short weights file names the file, not only tfjs\'s value count', async () => {
    const dir = path.join(tmp, 'short');
    const model = mlp(5);
    await saveModel(model, dir);
    const w = path.join(dir, 'weights.bin');
    fs.truncateSync(w, 50);
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`loadModel: ${w} has 50 bytes but model.json says 172`));
    model.dispose();
  });
});

describe('unclear errors of loadModel', () => {
  it('model.json that is not JSON', async () => {
    const dir = path.join(tmp, 'notjson');
    const model = mlp(3);
    await saveModel(model, dir);
    fs.writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": ');
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`loadModel: ${path.join(dir, 'model.json')} is not valid JSON .*: the file is damaged; save the model again`));
    model.dispose();
  });

  it('a file given instead of the folder', async () => {
    const dir = path.join(tmp, 'afile');
    const model = mlp(3);
    await saveModel(model, dir);
    await expect(loadModel(path.join(dir, 'model.json'))).rejects.toThrow(/loadModel: .*model\.json is a file; give the folder that saveModel wrote \(it holds model\.json and weights\.bin\), here .*afile/);
    model.dispose();
  });

  it('an unreadable model.json names the permission problem', async () => {
    const dir = path.join(tmp, 'noperm');
    const model = mlp(3);
    await saveModel(model, dir);
    openToAll(dir);
    fs.chmodSync(path.join(dir, 'model.json'), 0o000);
    const out = runUnprivileged(`import { loadModel } from 'LIB/train/saving';`, `
      try { await loadModel(${JSON.stringify(dir)}); console.log('loaded'); } catch (e) { console.log(e.message); }`);
    expect(out).toMatch(/loadModel: cannot read .*noperm\/model\.json \(EACCES\): make it readable \(chmod u\+r\)/);
    fs.chmodSync(path.join(dir, 'model.json'), 0o600);
    model.dispose();
  });

  it('an unknown layer class says to register it before loading', async () => {
    const dir = path.join(tmp, 'unknown');
    const model = mlp(3);
    await saveModel(model, dir);
    const json = fs.readFileSync(path.join(dir, 'model.json'), 'utf8').replace(/"class_name":"Dense"/, '"class_name":"MyDense"');
    fs.writeFileSync(path.join(dir, 'model.json'), json);
    await expect(loadModel(dir)).rejects.toThrow(/loadModel: .*unknown cannot be loaded: Unknown layer: MyDense.*register the custom layer class with tf\.serialization\.registerClass before loadModel/s);
    model.dispose();
  });
});

describe('temporary files of interrupted saves', () => {
  it('are removed when old and left by a process that is gone; others are kept', async () => {
    const dir = path.join(tmp, 'stale');
    const model = mlp(3);
    await saveModel(model, dir);
    const hourAgo = new Date(Date.now() - 3600_000);
    const dead = path.join(dir, 'weights.bin.tmp-999999-abc-def');
    const young = path.join(dir, 'model.json.tmp-999998-abc-def');
    const foreign = path.join(dir, 'notes.tmp-999997-x');
    for (const f of [dead, young, foreign]) fs.writeFileSync(f, 'x');
    fs.utimesSync(dead, hourAgo, hourAgo);
    fs.utimesSync(foreign, hourAgo, hourAgo);
    await saveModel(model, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'model.json.tmp-999998-abc-def', 'notes.tmp-999997-x', 'weights.bin']);
    model.dispose();
  });
});

describe('unclear errors of saveModel and CSVLogger', () => {
  it('saving onto a file names it and the fix', async () => {
    const file = path.join(tmp, 'plain-file');
    fs.writeFileSync(file, 'x');
    const model = mlp(3);
    await expect(saveModel(model, file)).rejects.toThrow(`saveModel: ${file} (or a folder above it) is a file; give a folder path, e.g. '${file}-model'.`);
    await expect(saveModel(model, path.join(file, 'inner'))).rejects.toThrow(/is a file; give a folder path/);
    model.dispose();
  });

  it('a CSVLogger pointed at a folder names it and the fix', () => {
    const logger = new CSVLogger(tmp);
    expect(() => logger.onTrainBegin()).toThrow(`CSVLogger: cannot write ${tmp} (EISDIR): it is a folder: give a file name such as training.csv.`);
  });
});
