#!/usr/bin/env node
/**
 * `astro-segments check <deployed URL> [--manifest /_segments/manifest.json]`:
 * checks that a deployment keeps the router's promises. Exits 1 when a check
 * fails (each failure says what to fix), 2 when it cannot check at all.
 */
import { parseArgs } from 'node:util';
import { checkDeployment, ManifestUnavailable } from './check-deployment.ts';
import { formatReport } from './format-report.ts';

const USAGE = 'Usage: astro-segments check <deployed URL> [--manifest /_segments/manifest.json]\n';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    manifest: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [command, base] = positionals;
if (command !== 'check' || !base || !/^https?:\/\//.test(base)) {
  process.stderr.write(
    `astro-segments: ${command === 'check' ? "give the deployment's URL, with http:// or https://" : `unknown command ${command ?? '(none)'}`}.\n${USAGE}`,
  );
  process.exit(2);
}

try {
  const { results } = await checkDeployment(base, values.manifest ? { manifest: values.manifest } : {});
  const report = formatReport(base, results);
  process.stdout.write(report.text);
  process.exit(report.failed === 0 ? 0 : 1);
} catch (error) {
  const hint =
    error instanceof ManifestUnavailable
      ? 'Deploy the whole build output (the manifest is in the variant folder), or pass --manifest with its path.'
      : 'Check the URL and that the deployment answers.';
  process.stderr.write(`astro-segments check: ${(error as Error).message}\n${hint}\n`);
  process.exit(2);
}
