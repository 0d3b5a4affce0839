import { describe, expect, it } from 'vitest';
import { countrySets } from '../src/country-sets.ts';
import { validateOptions } from '../src/validate-options.ts';

/** The countries one rule compiles to, uppercased as people write them. */
function countriesOf(when: object): string[] {
  const options = validateOptions({ dimensions: { region: { default: 'other', values: { here: { when }, other: {} } } } });
  const rule = options.dimensions[0]!.values[0]!.rules[0]! as { country?: { is: string[] } };
  return (rule.country?.is ?? []).map((code) => code.toUpperCase()).sort();
}

describe('named country sets compile to countries at build, like continents', () => {
  it('eu is the 27 member states: not Switzerland, Norway or the United Kingdom', () => {
    const eu = countriesOf({ countrySet: 'eu' });
    expect(eu).toHaveLength(27);
    expect(eu).toEqual(expect.arrayContaining(['DE', 'FR', 'IE', 'BG', 'HR', 'CY']));
    for (const outside of ['CH', 'NO', 'GB', 'IS', 'LI', 'UA']) expect(eu).not.toContain(outside);
  });

  it('while continent EU is Europe, Switzerland and Norway included (the difference the sets exist for)', () => {
    expect(countriesOf({ continent: 'EU' })).toEqual(expect.arrayContaining(['CH', 'NO', 'GB', 'DE']));
  });

  it('eea adds Iceland, Liechtenstein and Norway to the EU, and efta is those three with Switzerland', () => {
    expect(countriesOf({ countrySet: 'eea' })).toEqual([...countriesOf({ countrySet: 'eu' }), 'IS', 'LI', 'NO'].sort());
    expect(countriesOf({ countrySet: 'efta' })).toEqual(['CH', 'IS', 'LI', 'NO']);
  });

  it('accepts any case and lists of sets', () => {
    expect(countriesOf({ countrySet: 'EEA' })).toEqual(countriesOf({ countrySet: 'eea' }));
    expect(countriesOf({ countrySet: ['eu', 'uk'] })).toEqual([...countriesOf({ countrySet: 'eu' }), 'GB'].sort());
  });

  it('holds only two-letter codes, each once per set', () => {
    for (const set of countrySets.names) {
      const codes = countrySets.countries(set);
      expect(
        codes.every((code) => /^[A-Z]{2}$/.test(code)),
        set,
      ).toBe(true);
      expect(new Set(codes).size, set).toBe(codes.length);
    }
  });

  it('refuses a set together with country or continent in one rule', () => {
    expect(() => countriesOf({ countrySet: 'eu', continent: 'EU' })).toThrow(/use continent or countrySet in one rule, not both/);
  });
});
