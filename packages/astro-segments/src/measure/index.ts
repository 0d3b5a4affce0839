export { analyzeLift, type GroupCounts, type Lift, type LiftOptions, type SampleRatio, type VariantLift } from './analyze-lift.ts';
export { formatLift } from './format-lift.ts';
export { CountsError, parseCounts, type CountRow } from './parse-counts.ts';
export { runLift } from './run-cli.ts';
export { chiSquare1Survival, erf, erfc, normalCdf, normalQuantile } from './statistics.ts';
