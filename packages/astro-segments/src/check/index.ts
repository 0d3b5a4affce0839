/** `astro-segments check`: a deployment against the router's promises (see check-deployment.ts). */
export { checkDeployment, ManifestUnavailable, type CheckOptions, type CheckResult, type Fetch } from './check-deployment.ts';
export { formatReport } from './format-report.ts';
