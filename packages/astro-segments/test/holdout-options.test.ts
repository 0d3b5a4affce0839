/**
 * The `holdout` option: validated strictly, compiled into the manifest only
 * when configured, and rejected with a message naming the field.
 */
import { describe, expect, it } from 'vitest';
import { manifestFor } from '../src/compile-site.ts';
import { OPTION_DEFAULTS, type SegmentsOptions } from '../src/schema.ts';
import { validateOptions } from '../src/validate-options.ts';

const dimensions = { audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' } }, prospect: {} } } };
const withHoldout = (holdout: unknown, more: Partial<SegmentsOptions> = {}) => ({ dimensions, ...more, holdout }) as SegmentsOptions;

describe('holdout option', () => {
  it('is absent from the resolved options and the manifest unless configured', () => {
    const options = validateOptions({ dimensions });
    expect('holdout' in options).toBe(false);
    expect('holdout' in manifestFor(options, '', {})).toBe(false);
  });

  it('compiles into the manifest with its defaults (cookie segment_group, 90 days, in seconds)', () => {
    const options = validateOptions(withHoldout({ share: 0.1, consentCookie: 'cookie_consent' }));
    expect(options.holdout).toEqual({ share: 0.1, consent: 'cookie_consent', cookie: 'segment_group', maxAge: 90 * 86_400 });
    expect(manifestFor(options, '', {}).holdout).toEqual({ share: 0.1, consent: 'cookie_consent', cookie: 'segment_group', maxAge: 7_776_000 });
    expect(OPTION_DEFAULTS.holdout).toEqual({ cookie: 'segment_group', maxAgeDays: 90 });
    // The manifest stays version 1: the field is additive and optional.
    expect(manifestFor(options, '', {}).version).toBe(1);
  });

  it('takes a cookie name and a lifetime', () => {
    const options = validateOptions(withHoldout({ share: 0.5, consentCookie: 'cc', cookie: 'ab_group', maxAgeDays: 400 }));
    expect(options.holdout).toEqual({ share: 0.5, consent: 'cc', cookie: 'ab_group', maxAge: 400 * 86_400 });
  });

  it.each([
    ['a share of 0', { share: 0, consentCookie: 'cc' }, /holdout\.share/],
    ['a share of 1', { share: 1, consentCookie: 'cc' }, /holdout\.share/],
    ['a share above 1', { share: 10, consentCookie: 'cc' }, /holdout\.share/],
    ['a share as a string', { share: '0.1', consentCookie: 'cc' }, /holdout\.share/],
    ['no consent cookie', { share: 0.1 }, /holdout\.consentCookie/],
    ['a consent cookie name with a space', { share: 0.1, consentCookie: 'my consent' }, /holdout\.consentCookie: must be a valid cookie name/],
    [
      'a group cookie name with attributes',
      { share: 0.1, consentCookie: 'cc', cookie: 'g; Domain=evil.example' },
      /holdout\.cookie: must be a valid cookie name/,
    ],
    ['a lifetime over 400 days', { share: 0.1, consentCookie: 'cc', maxAgeDays: 401 }, /holdout\.maxAgeDays/],
    ['a fractional lifetime', { share: 0.1, consentCookie: 'cc', maxAgeDays: 1.5 }, /holdout\.maxAgeDays/],
    ['an unknown key', { share: 0.1, consentCookie: 'cc', renew: true }, /holdout.*renew/],
    ['the consent cookie as the group cookie', { share: 0.1, consentCookie: 'cc', cookie: 'cc' }, /holdout\.cookie: "cc" is already the consent cookie/],
    [
      'the choice cookie as the group cookie',
      { share: 0.1, consentCookie: 'cc', cookie: 'segment' },
      /holdout\.cookie: "segment" is already the choice cookie's name/,
    ],
    ['the choice cookie over HTTPS as the group cookie', { share: 0.1, consentCookie: 'cc', cookie: '__Host-segment' }, /holdout\.cookie/],
  ])('rejects %s', (_, holdout, message) => {
    expect(() => validateOptions(withHoldout(holdout))).toThrow(message);
  });
});
