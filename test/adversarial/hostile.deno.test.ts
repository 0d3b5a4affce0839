import { vi } from 'vitest';
import { startDeno } from '../hosts/runtimes/deno.ts';
import { adversarial } from './run-table.ts';

// The harness serves every instance in MANIFESTS; add the adversarial ones (./sites.ts).
vi.mock('../hosts/cases.ts', async (importOriginal) => (await import('./sites.ts')).withExtraSites(await importOriginal<typeof import('../hosts/cases.ts')>()));

adversarial('deno', 'Deno running the generated Netlify edge function', startDeno);
