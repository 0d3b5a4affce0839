/** One finding: what is wrong, where, and how to fix it. Warnings by default, errors in `lints.strict` mode. */
export interface Lint {
  /** Which check found it, e.g. `dead-variant`. */
  readonly rule: string;
  readonly severity: 'warning';
  /** Source file of the page, or `astro.config` for the segments() options. */
  readonly file: string;
  /** What happened and why, naming the route or the option's key path. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
}

/** Where option lints point: the key path goes in the message. */
export const CONFIG_FILE = 'astro.config';

export const lint = (rule: string, file: string, message: string, fix: string): Lint => ({ rule, severity: 'warning', file, message, fix });

/** Key path of a value's rule as the user wrote it: `when` for a single rule, `when[1]` in a list. */
export function rulePath(dimension: string, value: string, index: number, count: number): string {
  return `dimensions.${dimension}.values.${value}.when${count > 1 ? `[${index}]` : ''}`;
}
