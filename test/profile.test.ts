import { describe, expect, it, vi } from 'vitest';
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

import { useProfile } from '../lib/profile';

describe('useProfile', () => {
  it('switches the profile profileSizes reads, and refuses unknown names', () => {
    const before = process.env.COURSE_PROFILE;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(useProfile('smoke')).toBe('smoke');
      expect(profileSizes({ full: { n: 1 }, smoke: { n: 2 } }).n).toBe(2);
      expect(useProfile('FULL')).toBe('full');
      expect(profileSizes({ full: { n: 1 }, smoke: { n: 2 } }).n).toBe(1);
      expect(() => useProfile('fast')).toThrow("COURSE_PROFILE=fast is not a profile");
      expect(String(log.mock.calls[0][0])).toContain("Profile 'smoke' is active");
    } finally {
      log.mockRestore();
      if (before === undefined) delete process.env.COURSE_PROFILE; else process.env.COURSE_PROFILE = before;
    }
  });
});
