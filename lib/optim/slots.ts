/**
 * Per-variable state for the optimisers written here (Nadam's m and v, Adadelta's two running
 * averages): two slot variables per trained variable, created on the first update, saved after
 * the iteration count by getWeights and restored by setWeights, freed by dispose. SlotOptimizer
 * is their shared base: it owns the slots and implements those three methods, so a subclass
 * writes only its update rule (applyGradients) and its config.
 *
 * Usage:
 *   class NadamOptimizer extends SlotOptimizer { constructor() { super('Nadam', 'm', 'v'); } ... }
 *   forEachGradient('Nadam', grads, (i, name, value, g) => { const [m, v] = this.slots.at(i, name, value); ... });
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './keras-optimizer';

/** One slot variable and the name it is saved under (`<variable>/<suffix>`). */
export interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/**
 * Calls `fn` for each gradient with its index, the variable's name, the registered variable and
 * the gradient (skipped when null), in the order the gradients come. Throws, naming the
 * optimiser, when a name is not a registered variable.
 *
 * Usage: `forEachGradient('Nadam', variableGradients, (i, name, value, g) => { ... });`
 */
export function forEachGradient(
  who: string,
  variableGradients: tf.NamedTensorMap | NamedTensor[],
  fn: (index: number, name: string, value: tf.Variable, gradient: tf.Tensor | undefined) => void,
): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  names.forEach((name, i) => {
    const value = tf.engine().registeredVariables[name];
    if (value == null) throw new Error(`${who}: no variable named '${name}' is registered; pass gradients keyed by variable name (as optimizer.computeGradients returns).`);
    const g = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
    fn(i, name, value, g ?? undefined);
  });
}

/**
 * Two slot variables per trained variable, indexed like the gradients.
 *
 * Usage: `const slots = new SlotPairs('Adadelta', 'accum_grad', 'accum_var'); const [eg, edx] = slots.at(0, name, value);`
 */
export class SlotPairs {
  private first: Slot[] = [];
  private second: Slot[] = [];

  /**
   * @param who the optimiser's name, for error messages
   * @param firstSuffix saved name of the first slot, `<variable>/<firstSuffix>`
   * @param secondSuffix saved name of the second slot
   */
  constructor(private readonly who: string, private readonly firstSuffix: string, private readonly secondSuffix: string) {}

  /** The pair for gradient `index`, created as zeros shaped like `value` on first use. Usage: `const [m, v] = slots.at(i, name, value);` */
  at(index: number, name: string, value: tf.Variable): [tf.Variable, tf.Variable] {
    if (this.first[index] == null) {
      this.first[index] = { originalName: `${name}/${this.firstSuffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      this.second[index] = { originalName: `${name}/${this.secondSuffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    }
    return [this.first[index].variable, this.second[index].variable];
  }

  /** Every first slot, then every second slot, as getWeights lists them. Usage: `[await this.saveIterations(), ...slots.weights()]` */
  weights(): NamedTensor[] {
    return [...this.first, ...this.second].map((s) => ({ name: s.originalName, tensor: s.variable }));
  }

  /**
   * Replaces the slots with `rest` (the weights after the iteration count: first slots, then
   * second slots). Throws, changing nothing, when `rest` has an odd length.
   *
   * Usage: `slots.restore(await this.extractIterations(weightValues));`
   */
  restore(rest: NamedTensor[]): void {
    if (rest.length % 2 !== 0) {
      throw new Error(`${this.who}.setWeights: expected iterations then equal numbers of ${this.firstSuffix} and ${this.secondSuffix} slots, got ${rest.length} tensors after the iteration count.`);
    }
    this.dispose();
    const n = rest.length / 2;
    this.first = rest.slice(0, n).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
    this.second = rest.slice(n).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
  }

  /** Frees every slot variable. Usage: `slots.dispose()` */
  dispose(): void {
    tf.dispose([...this.first.map((s) => s.variable), ...this.second.map((s) => s.variable)]);
    this.first = [];
    this.second = [];
  }
}

/**
 * Base of the optimisers that keep two slot variables per trained variable: owns `slots` and
 * implements dispose, getWeights (iterations, then every first slot, then every second slot, as
 * Keras saves them) and setWeights. A subclass writes applyGradients, getConfig and fromConfig,
 * and overrides setWeights (calling super first) only to rebuild state derived from iterations.
 *
 * Usage:
 *   class KerasAdadeltaOptimizer extends SlotOptimizer {
 *     constructor() { super('Adadelta', 'accum_grad', 'accum_var'); }
 *     applyGradients(grads) { forEachGradient('Adadelta', grads, (i, name, value, g) => { const [eg, edx] = this.slots.at(i, name, value); ... }); this.incrementIterations(); }
 *   }
 */
export abstract class SlotOptimizer extends tf.Optimizer {
  /** The two slot variables per trained variable, indexed like the gradients. */
  protected readonly slots: SlotPairs;

  /**
   * @param who the optimiser's name, for error messages
   * @param firstSuffix saved name of the first slot, `<variable>/<firstSuffix>`
   * @param secondSuffix saved name of the second slot
   */
  protected constructor(who: string, firstSuffix: string, secondSuffix: string) {
    super();
    this.slots = new SlotPairs(who, firstSuffix, secondSuffix);
  }

  /** Frees the slot variables and the iteration count. Usage: `opt.dispose()` */
  override dispose(): void {
    this.slots.dispose();
    super.dispose();
  }

  /** The iteration count, then every first slot, then every second slot. Usage: `const w = await opt.getWeights();` */
  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...this.slots.weights()];
  }

  /** Restores what getWeights saved (throws on an odd number of slots). Usage: `await opt.setWeights(w);` */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    this.slots.restore(await this.extractIterations(weightValues));
  }
}
