import { conformance } from './cases.ts';
import { startDeno } from './runtimes/deno.ts';

conformance('deno', 'Deno running the generated Netlify edge function (EdgeFunctionsHandler)', startDeno);
