/**
 * The decision as every host makes it: `holdout()`, which is the plain router
 * for a manifest without a holdout, so a configured holdout applies on every
 * path (the Node server, `astro dev`, on-demand pages), and never an error:
 * whatever throws is `null`, which each caller serves as the default page.
 */
import { holdout, type Decision, type Manifest, type Signals } from '@astro-segments/edge';

export type GuardedDecider = (signals: Signals, manifest: Manifest) => Decision | null;

/** @param random the holdout's draw; see `onceRandom` for a request decided more than once */
export function guardedDecider(random: () => number = Math.random): GuardedDecider {
  const decider = holdout(random);
  return (signals, manifest) => {
    try {
      return decider(signals, manifest);
    } catch {
      return null;
    }
  };
}

/** One draw per request, however often it is decided: a visitor is never put in two holdout groups at once. */
export function onceRandom(): () => number {
  let draw: number | undefined;
  return () => (draw ??= Math.random());
}
