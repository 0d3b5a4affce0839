import type { ContainerDirective } from 'mdast-util-directive';
import type { CompileContext } from './context.ts';
import type { Condition } from './condition.ts';
import { fail, list } from './fail.ts';

/** Against the site's declared dimensions (the `dimensions` option), when given. */
export function checkSiteDimensions(node: ContainerDirective, condition: Condition, { file, dimensions }: CompileContext): void {
  if (!dimensions) return;
  for (const [dimension, clause] of Object.entries(condition)) {
    const allowed = Object.hasOwn(dimensions, dimension) ? dimensions[dimension] : undefined;
    if (!allowed) {
      fail(
        file,
        node,
        'unknown-dimension',
        `This :::segment block uses the dimension "${dimension}", which the site does not declare (declared: ${list(Object.keys(dimensions))}). ` +
          `Use a declared dimension, or add "${dimension}" to the dimensions option (segments({ dimensions }) in astro.config).`,
      );
    }
    for (const value of clause.values) {
      if (allowed.includes(value)) continue;
      fail(
        file,
        node,
        'unknown-value',
        `This :::segment block uses ${dimension}="${value}", but "${value}" is not a value of the dimension "${dimension}" (allowed: ${list(allowed)}). ` +
          `Use one of those values, or add "${value}" to the values of "${dimension}" in the dimensions option.`,
      );
    }
  }
}

/** Against the page's frontmatter `segments.dimensions`. */
export function checkPageDimensions(node: ContainerDirective, condition: Condition, { file, page }: CompileContext): void {
  const used = Object.keys(condition);
  if (page.kind === 'absent') {
    // No frontmatter at all (Astro always passes one): most likely a standalone pipeline.
    const standalone = page.frontmatter ? '' : ' Outside Astro, without frontmatter, pass requireDeclaration: false to remark-segments instead.';
    fail(
      file,
      node,
      'missing-page-segments',
      'This page has a :::segment block, but its frontmatter has no segments entry, so the build would not know that the page varies. ' +
        `Add to the frontmatter: segments: { dimensions: [${used.join(', ')}], purpose: "why the page varies", kpi: "what should move" }.${standalone}`,
    );
  }
  if (page.kind === 'invalid') {
    fail(
      file,
      node,
      'invalid-page-segments',
      `This page has a :::segment block, but its frontmatter segments is ${JSON.stringify(page.value)} instead of an object, so the block cannot be checked against it. ` +
        `Write it as segments: { dimensions: [${used.join(', ')}], purpose: "…", kpi: "…" }.`,
    );
  }
  const declared = page.config.dimensions;
  if (declared === undefined) {
    fail(
      file,
      node,
      'undeclared-dimension',
      `This :::segment block uses ${list(used)}, but the page's frontmatter segments has no dimensions list, so the build would not know the page varies on it. ` +
        `Add dimensions: [${used.join(', ')}] under segments.`,
    );
  }
  if (!Array.isArray(declared) || !declared.every((name): name is string => typeof name === 'string')) {
    fail(
      file,
      node,
      'invalid-page-segments',
      `The page's frontmatter segments.dimensions is ${JSON.stringify(declared)}, not a list of dimension names, so this :::segment block cannot be checked against it. ` +
        `Write it as a list, for example dimensions: [${used.join(', ')}].`,
    );
  }
  const missing = used.filter((dimension) => !declared.includes(dimension));
  if (missing.length > 0) {
    fail(
      file,
      node,
      'undeclared-dimension',
      `This :::segment block uses ${list(missing)}, but the page's frontmatter segments.dimensions lists only ${list(declared)}, so the build would not make variants for it. ` +
        `Change it to dimensions: [${[...declared, ...missing].join(', ')}].`,
    );
  }
}
