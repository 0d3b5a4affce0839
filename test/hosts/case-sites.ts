/**
 * Pieces the host tests share when they build a throwaway site with real Astro
 * (test/utils/case-site.ts) and send it requests through a harness.
 */
import type { PlantedRequest } from './cases.ts';

/** The adapter fixtures' personalized page: customers see an upgrade, everyone else the trial. */
export const PRICING_MD = `---
title: Pricing
segments:
  dimensions: [audience]
  purpose: Show customers their upgrade path
  kpi: Upgrade clicks
---

# Pricing

:::segment{audience="customer"}
Upgrade your plan.
:::

:::segment{otherwise}
Start your free trial.
:::
`;

/** A GET through a harness, with no planted secret (these tests check headers, not privacy). */
export const getRequest = (origin: string, path: string, headers: Record<string, string> = {}): PlantedRequest => ({
  method: 'GET',
  url: `${origin}${path}`,
  headers: new Headers(headers),
  country: undefined,
  site: 'main',
});
