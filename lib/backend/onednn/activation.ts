/**
 * The fused activations the oneDNN kernels apply, by the codes native/src/common.h uses.
 * prelu (a weight tensor) is not among them: those calls stay on wasm's kernels.
 *
 * Usage: `const code = activationCode(attrs.activation); if (code === undefined) return fallback(args);`
 */

/** tfjs's fused activation names mapped to the addon's codes. */
const CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 };

/**
 * The addon's code for a tfjs fused activation (undefined or 'linear' is 0), or undefined when the
 * addon cannot apply it.
 *
 * Usage: `activationCode('relu') // 1`
 */
export function activationCode(activation: string | undefined | null): number | undefined {
  if (activation === undefined || activation === null) return 0;
  return CODES[activation];
}

/** tfjs's default leaky-relu slope. Usage: `attrs.leakyreluAlpha ?? DEFAULT_LEAKY_ALPHA` */
export const DEFAULT_LEAKY_ALPHA = 0.2;
