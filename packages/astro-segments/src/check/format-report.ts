/**
 * The check's results as text: one line per check, and under each failure what
 * happened and what to fix, grouped by route.
 */
import type { CheckResult } from './check-deployment.ts';

export function formatReport(base: string, results: readonly CheckResult[]): { text: string; failed: number } {
  const lines = [`astro-segments check ${base}`];
  let scope = '';
  let failed = 0;
  for (const result of results) {
    if (result.scope !== scope) {
      scope = result.scope;
      lines.push('', scope === 'site' ? 'the deployment' : scope);
    }
    if (result.problems.length === 0) {
      lines.push(`  ✓ ${result.title}`);
      continue;
    }
    failed++;
    lines.push(`  ✗ ${result.title}`);
    for (const problem of result.problems) lines.push(`      ${problem.what}.`, `      Fix: ${problem.fix}`);
  }
  lines.push('', failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`);
  return { text: `${lines.join('\n')}\n`, failed };
}
