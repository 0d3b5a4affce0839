import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyzeLift } from './analyze-lift.ts';
import { formatLift } from './format-lift.ts';
import { CountsError, parseCounts } from './parse-counts.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readText: (file: string) => Promise<string>;
}

const USAGE = `Usage: astro-segments-lift counts.csv [--share 0.5] [--confidence 0.95] [--srm-alpha 0.001] [--json]

counts.csv has the header variant,group,visitors,conversions and one line per
variant and group (control: held out, saw the default; treatment: saw the variant).
--share is the share of eligible visitors your holdout sends to control.
`;

const NAME = 'astro-segments-lift';

/** The CLI without the process: returns the exit code (0 done, 1 bad input or usage). */
export async function runLift(argv: readonly string[], io: CliIo = nodeIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        share: { type: 'string', default: '0.5' },
        confidence: { type: 'string', default: '0.95' },
        'srm-alpha': { type: 'string', default: '0.001' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${NAME}: ${(error as Error).message}.\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`${NAME}: give exactly one CSV file${positionals.length ? ` (got ${positionals.length})` : ''}.\n${USAGE}`);
    return 1;
  }
  const fraction = (flag: 'share' | 'confidence' | 'srm-alpha') => {
    const value = Number(values[flag]);
    return value > 0 && value < 1 ? value : undefined;
  };
  const options = { controlShare: fraction('share'), confidence: fraction('confidence'), srmAlpha: fraction('srm-alpha') };
  for (const [flag, value] of [
    ['share', options.controlShare],
    ['confidence', options.confidence],
    ['srm-alpha', options.srmAlpha],
  ] as const) {
    if (value === undefined) {
      io.stderr(
        `${NAME}: --${flag} ${values[flag]} is not a number between 0 and 1. Write it as a fraction, e.g. --${flag} ${flag === 'share' ? '0.1 for a 10% holdout' : flag === 'confidence' ? '0.95' : '0.001'}.\n`,
      );
      return 1;
    }
  }
  const file = positionals[0]!;
  let text: string;
  try {
    text = await io.readText(file);
  } catch (error) {
    io.stderr(
      `${NAME}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Export the counts from your analytics first.\n`,
    );
    return 1;
  }
  let rows;
  try {
    rows = parseCounts(text);
  } catch (error) {
    if (!(error instanceof CountsError)) throw error;
    io.stderr(`${NAME}: ${file}, ${error.message}.\n`);
    return 1;
  }
  const resolved = { controlShare: options.controlShare!, confidence: options.confidence!, srmAlpha: options.srmAlpha! };
  const results = analyzeLift(rows, resolved);
  io.stdout(values.json ? `${JSON.stringify({ version: 1, options: resolved, variants: results }, null, 2)}\n` : formatLift(results, resolved));
  return 0;
}

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readText: (file) => readFile(file, 'utf8'),
};
