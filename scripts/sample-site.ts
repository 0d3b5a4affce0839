/**
 * The smallest personalized site, as source text, for the checks that install
 * the packed packages into a site outside the workspace (`lint-packages.ts`,
 * `test/install/`): one dimension and a Markdown page with its two variants.
 */

/** `segments({ dimensions })`'s value: customers recognized by the site's login cookie. */
export const AUDIENCE_DIMENSIONS =
  "{ audience: { default: 'prospect', values: { customer: { when: { cookie: 'session' }, relationship: true }, prospect: {} } } }";

/** `src/pages/pricing.md`: "Upgrade your plan." for customers, "Start your free trial." for everyone else. */
export const PRICING_PAGE = `---
title: Pricing
segments: { dimensions: [audience], purpose: Show customers their upgrade path, kpi: Upgrade clicks }
---

:::segment{audience="customer"}
Upgrade your plan.
:::

:::segment{otherwise}
Start your free trial.
:::
`;
