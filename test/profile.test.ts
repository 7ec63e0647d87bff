import { describe, expect, it } from 'vitest';
import { profileName, profileSizes } from '../lib/profile';

describe('profile', () => {
  it('defaults to full and accepts smoke', () => {
    expect(profileName(undefined)).toBe('full');
    expect(profileName('')).toBe('full');
    expect(profileName('SMOKE')).toBe('smoke');
  });
  it('refuses an unknown profile with the valid names', () => {
    expect(() => profileName('fast')).toThrow(/use 'full'.*'smoke'/);
  });
  it('picks the sizes of the profile', () => {
    const spec = { full: { train: 55000, epochs: 10 }, smoke: { train: 500, epochs: 1 } };
    expect(profileSizes(spec, 'full')).toEqual({ train: 55000, epochs: 10, profile: 'full' });
    expect(profileSizes(spec, 'smoke')).toEqual({ train: 500, epochs: 1, profile: 'smoke' });
  });
  it('refuses profiles with different keys', () => {
    expect(() => profileSizes({ full: { a: 1, b: 2 }, smoke: { a: 1 } } as never, 'full')).toThrow(/same sizes/);
  });
});
