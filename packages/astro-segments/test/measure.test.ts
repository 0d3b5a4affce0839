import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeLift, parseCounts, runLift, type CountRow } from '../src/measure/index.ts';
import { chiSquare1Survival, erf, erfc, normalCdf, normalQuantile } from '../src/measure/statistics.ts';

describe('special functions', () => {
  // Reference values: Abramowitz & Stegun table 7.1 and the closed forms
  // erfc(x) = 2·(1 − Φ(x√2)); checked against an independent implementation
  // (CPython's math.erf / math.erfc) to every printed digit.
  const ERF = [
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [2.5, 0.999593047982555],
  ] as const;
  const ERFC = [
    [0.5, 0.4795001221869535],
    [2, 0.004677734981047265],
    [2.4999, 0.0004071699003334514],
    [2.5, 0.0004069520174449589],
    [3, 2.2090496998585438e-5],
    [4, 1.541725790028002e-8],
    [5, 1.5374597944280351e-12],
    [10, 2.088487583762545e-45],
    [20, 5.3958656116079005e-176],
  ] as const;

  it.each(ERF)('erf(%s) = %s', (x, expected) => {
    expect(erf(x)).toBeCloseTo(expected, 14);
    expect(erf(-x)).toBeCloseTo(-expected, 14);
  });

  it.each(ERFC)('erfc(%s) = %s to 1e-12 relative, deep in the tail', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-12);
  });

  it('joins the series and the continued fraction without a step at 2.5', () => {
    const below = erfc(2.5 - 1e-12);
    const above = erfc(2.5);
    expect(Math.abs(below - above) / above).toBeLessThan(1e-10);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 14);
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
  });

  it('gives the normal quantiles everyone knows', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514715, 12);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 11);
    expect(normalCdf(0)).toBe(0.5);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });

  it('has the chi-square(1) tail: 3.841 is the 5% point, 25 = 5² is P(|Z| > 5)', () => {
    expect(chiSquare1Survival(3.841458820694124)).toBeCloseTo(0.05, 12);
    // P(|Z| > 5) = 2·(1 − Φ(5)) = 2 × 2.866515718791939e-7.
    expect(chiSquare1Survival(25) / 5.733031437583878e-7).toBeCloseTo(1, 10);
    expect(chiSquare1Survival(0)).toBe(1);
  });
});

/*
 * Worked example, by hand (checked independently with Python's statistics.NormalDist).
 * A 10% holdout: control is expected to get 10% of eligible visitors.
 *
 * audience=customer: control 2,000 visitors / 200 conversions, treatment 18,000 / 2,160.
 *   rates p₀ = 200/2000 = 0.10, p₁ = 2160/18000 = 0.12, lift d = 0.02 (2 points).
 *   SE = √(0.10·0.90/2000 + 0.12·0.88/18000) = √(0.000045 + 0.0000058667) = √0.0000508667 = 0.0071320871
 *   95%: z = 1.9599640; half-width = 1.9599640 × 0.0071320871 = 0.0139787; CI = [0.0060214, 0.0339786]
 *   relative = 0.02 / 0.10 = 20%, CI = [6.0214%, 33.9786%]
 *   z-stat = 0.02 / 0.0071320871 = 2.8042282; p = erfc(2.8042282/√2) = 0.0050437
 *   split: N = 20,000, expected control 2,000 = observed: χ² = 0, p = 1. No mismatch.
 *
 * audience=partner: control 1,150 / 100, treatment 8,850 / 800.
 *   split: N = 10,000, expected control 1,000 and treatment 9,000.
 *   χ² = (1150 − 1000)²/1000 + (8850 − 9000)²/9000 = 22,500/1000 + 22,500/9000 = 22.5 + 2.5 = 25
 *   p = P(χ²₁ ≥ 25) = P(|Z| ≥ 5) = 5.733e-7 < 0.001: SAMPLE RATIO MISMATCH.
 *   (its lift, for completeness: p₀ = 0.0869565, p₁ = 0.0903955, d = 0.0034390, SE = 0.0088504,
 *    CI = [−0.0139076, 0.0207855], p = 0.6976)
 */
const WORKED: CountRow[] = [
  { variant: 'audience=customer', group: 'control', visitors: 2000, conversions: 200 },
  { variant: 'audience=customer', group: 'treatment', visitors: 18000, conversions: 2160 },
  { variant: 'audience=partner', group: 'control', visitors: 1150, conversions: 100 },
  { variant: 'audience=partner', group: 'treatment', visitors: 8850, conversions: 800 },
];

describe('analyzeLift', () => {
  const [customer, partner] = analyzeLift(WORKED, { controlShare: 0.1 });

  it('computes rates, absolute and relative lift with a 95% normal-approximation interval', () => {
    expect(customer!.control.rate).toBeCloseTo(0.1, 12);
    expect(customer!.treatment.rate).toBeCloseTo(0.12, 12);
    const lift = customer!.lift!;
    expect(lift.absolute).toBeCloseTo(0.02, 12);
    expect(lift.absoluteInterval[0]).toBeCloseTo(0.0060214, 6);
    expect(lift.absoluteInterval[1]).toBeCloseTo(0.0339786, 6);
    expect(lift.relative).toBeCloseTo(0.2, 12);
    expect(lift.relativeInterval![0]).toBeCloseTo(0.060214, 5);
    expect(lift.relativeInterval![1]).toBeCloseTo(0.339786, 5);
    expect(lift.pValue).toBeCloseTo(0.0050437, 6);
    expect(customer!.notes).toEqual([]);
  });

  it('passes a split that matches the configured share', () => {
    expect(customer!.sampleRatio).toMatchObject({ expectedControlShare: 0.1, observedControlShare: 0.1, chiSquare: 0, pValue: 1, mismatch: false });
  });

  it('flags a sample ratio mismatch: chi-square 25, p = 5.7e-7', () => {
    const split = partner!.sampleRatio!;
    expect(split.observedControlShare).toBeCloseTo(0.115, 12);
    expect(split.chiSquare).toBeCloseTo(25, 10);
    expect(split.pValue / 5.733031437583878e-7).toBeCloseTo(1, 8);
    expect(split.mismatch).toBe(true);
    expect(partner!.lift!.absoluteInterval[0]).toBeCloseTo(-0.0139076, 6);
    expect(partner!.lift!.pValue).toBeCloseTo(0.6976, 4);
  });

  it('judges the same counts against the share they were configured with', () => {
    // With the default 50% expectation the customer split (10% control) is a gross mismatch.
    expect(analyzeLift(WORKED)[0]!.sampleRatio!.mismatch).toBe(true);
    // A small imbalance stays quiet at the conventional 0.001 threshold.
    const [borderline] = analyzeLift(
      [
        { variant: 'v', group: 'control', visitors: 1060, conversions: 50 },
        { variant: 'v', group: 'treatment', visitors: 9940, conversions: 500 },
      ],
      { controlShare: 0.1 },
    );
    // N = 11,000: χ² = (1060 − 1100)²/1100 + (9940 − 9900)²/9900 = 1.4545 + 0.1616 = 1.6162, p = 0.2036
    expect(borderline!.sampleRatio!.chiSquare).toBeCloseTo(1.61616, 4);
    expect(borderline!.sampleRatio!.pValue).toBeCloseTo(0.2036, 4);
    expect(borderline!.sampleRatio!.mismatch).toBe(false);
  });

  it('adds up rows for the same variant and group (daily exports)', () => {
    const [split] = analyzeLift(
      [
        { variant: 'v', group: 'control', visitors: 1000, conversions: 100 },
        { variant: 'v', group: 'control', visitors: 1000, conversions: 100 },
        { variant: 'v', group: 'treatment', visitors: 18000, conversions: 2160 },
      ],
      { controlShare: 0.1 },
    );
    expect(split!.control).toEqual({ visitors: 2000, conversions: 200, rate: 0.1 });
    expect(split!.lift!.absolute).toBeCloseTo(0.02, 12);
  });

  it('says so instead of inventing a lift when a group is missing or thin', () => {
    const [missing] = analyzeLift([{ variant: 'v', group: 'treatment', visitors: 100, conversions: 3 }]);
    expect(missing!.lift).toBeNull();
    expect(missing!.notes).toContain('no control row');
    const [thin] = analyzeLift([
      { variant: 'v', group: 'control', visitors: 100, conversions: 2 },
      { variant: 'v', group: 'treatment', visitors: 100, conversions: 6 },
    ]);
    expect(thin!.lift).not.toBeNull();
    expect(thin!.notes.join(' ')).toMatch(/fewer than 5 conversions/);
  });

  it('refuses shares outside (0, 1)', () => {
    expect(() => analyzeLift(WORKED, { controlShare: 10 })).toThrow(RangeError);
  });
});

describe('parseCounts', () => {
  it('reads the documented header in any column order, with quotes, a BOM and blank lines', () => {
    const rows = parseCounts('\uFEFFgroup,variant,visitors,conversions,note\r\ncontrol,"audience=customer",10,1,x\r\n\r\ntreatment,audience=customer,90,12,\n');
    expect(rows).toEqual([
      { variant: 'audience=customer', group: 'control', visitors: 10, conversions: 1 },
      { variant: 'audience=customer', group: 'treatment', visitors: 90, conversions: 12 },
    ]);
  });

  it.each([
    ['', /the file is empty/],
    ['variant,visitors,conversions\n', /line 1: the header lacks group/],
    ['variant,group,visitors,conversions\nv,holdout,10,1\n', /line 2: group is "holdout". Use control .* or treatment/],
    ['variant,group,visitors,conversions\nv,control,1 000,1\n', /line 2: visitors is "1 000". Write a whole number/],
    ['variant,group,visitors,conversions\nv,control,10,11\n', /line 2: 11 conversions from 10 visitors/],
    ['variant,group,visitors,conversions\n,control,10,1\n', /line 2: the variant is empty/],
    ['variant,group,visitors,conversions\n', /a header but no counts/],
  ])('refuses %j with the line and the fix', (text, message) => {
    expect(() => parseCounts(text)).toThrow(message);
  });
});

describe('astro-segments-lift', () => {
  let dir: string;
  let csv: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lift-'));
    csv = join(dir, 'counts.csv');
    const lines = WORKED.map((row) => `${row.variant},${row.group},${row.visitors},${row.conversions}`);
    await writeFile(csv, `variant,group,visitors,conversions\n${lines.join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const capture = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: (t: string) => void (out.stdout += t),
        stderr: (t: string) => void (out.stderr += t),
        readText: async (f: string) => (await import('node:fs/promises')).readFile(f, 'utf8'),
      },
    };
  };

  it('prints lift with its interval and flags the mismatched split', async () => {
    const { out, io } = capture();
    expect(await runLift([csv, '--share', '0.1'], io)).toBe(0);
    expect(out.stdout).toContain('lift       +2.00 points (95% CI +0.60 to +3.40), +20.0% relative (+6.0% to +34.0%), p = 0.0050');
    expect(out.stdout).toContain('split      10.0% control, expected 10.0%: χ² = 0.00, p = 1.00: ok');
    expect(out.stdout).toContain('split      11.5% control, expected 10.0%: χ² = 25.00, p < 0.0001: SAMPLE RATIO MISMATCH');
    expect(out.stdout).toMatch(/normal approximation for a difference of two proportions/);
    expect(out.stderr).toBe('');
  });

  it('writes versioned JSON with --json', async () => {
    const { out, io } = capture();
    expect(await runLift([csv, '--share', '0.1', '--json'], io)).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.version).toBe(1);
    expect(json.options).toEqual({ controlShare: 0.1, confidence: 0.95, srmAlpha: 0.001 });
    expect(json.variants[1].sampleRatio.mismatch).toBe(true);
  });

  it.each([
    [[], /give exactly one CSV file/],
    [['a.csv', '--share', '10'], /--share 10 is not a number between 0 and 1. Write it as a fraction, e.g. --share 0.1/],
    [['missing.csv'], /cannot read missing.csv: ENOENT/],
    [['--nope'], /Unknown option/],
  ])('fails %j with exit code 1 and the fix', async (argv, message) => {
    const { out, io } = capture();
    expect(await runLift(argv, io)).toBe(1);
    expect(out.stderr).toMatch(message);
  });

  it('runs as a command under Node', () => {
    const cli = fileURLToPath(new URL('../src/measure/cli.ts', import.meta.url));
    const result = spawnSync(process.execPath, [cli, csv, '--share', '0.1'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('audience=partner');
    expect(result.stdout).toContain('SAMPLE RATIO MISMATCH');
  });
});
