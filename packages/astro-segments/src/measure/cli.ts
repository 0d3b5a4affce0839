#!/usr/bin/env node
/**
 * `astro-segments-lift counts.csv [--share 0.1]`: lift of each variant over its
 * holdout, with an interval and a sample-ratio-mismatch check, from aggregate
 * counts only (header `variant,group,visitors,conversions`).
 */
import { runLift } from './run-cli.ts';

process.exitCode = await runLift(process.argv.slice(2));
