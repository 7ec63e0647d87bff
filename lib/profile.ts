/**
 * Course profiles: `full` (the seeds' sizes, the default for a person) and `smoke` (CI and
 * tests: a few hundred samples, one or two epochs, the same code path).
 * A notebook reads its sizes from here and never branches on the profile otherwise.
 *
 * Usage:
 *   const P = profileSizes({ full: { train: 55000, epochs: 10 }, smoke: { train: 500, epochs: 1 } });
 *   P.train // 55000 on full, 500 on smoke
 */

export type ProfileName = 'full' | 'smoke';

/** The active profile from COURSE_PROFILE (default 'full'); throws on an unknown value. */
export function profileName(value: string | undefined = process.env.COURSE_PROFILE): ProfileName {
  if (value === undefined || value.trim() === '') return 'full';
  const v = value.trim().toLowerCase();
  if (v === 'full' || v === 'smoke') return v;
  throw new Error(`COURSE_PROFILE=${value} is not a profile: use 'full' (the seeds' sizes) or 'smoke' (CI: tiny sizes).`);
}

/** The common sizes most training notebooks read. */
export interface TrainingSizes {
  train: number;
  val: number;
  test: number;
  epochs: number;
  batchSize: number;
}

/**
 * Picks the sizes of the active profile. Both profiles must name the same keys, so a
 * notebook cannot read a size that exists on one profile only.
 */
export function profileSizes<T extends object>(spec: { full: T; smoke: T }, name: ProfileName = profileName()): T & { profile: ProfileName } {
  const fullKeys = Object.keys(spec.full).sort().join(',');
  const smokeKeys = Object.keys(spec.smoke).sort().join(',');
  if (fullKeys !== smokeKeys) {
    throw new Error(`profileSizes: 'full' has keys [${fullKeys}] but 'smoke' has [${smokeKeys}]; give both profiles the same sizes.`);
  }
  return { ...spec[name], profile: name };
}

/**
 * Switches the profile for this kernel (sets COURSE_PROFILE), so a student can move to the small
 * `smoke` sizes from inside Jupyter without restarting: run it before the notebook's first cell
 * (then Run All, or re-run from the top). Returns the profile now active.
 * Usage: `import { useProfile } from '../dist/lib/profile'; useProfile('smoke');`
 */
export function useProfile(name: ProfileName | string): ProfileName {
  const profile = profileName(name);
  process.env.COURSE_PROFILE = profile;
  console.log(`Profile '${profile}' is active for this kernel: re-run the notebook from its first cell to use its sizes.`);
  return profile;
}
