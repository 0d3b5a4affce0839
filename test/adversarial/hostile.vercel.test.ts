import { vi } from 'vitest';
import { startVercel } from '../hosts/runtimes/vercel.ts';
import { adversarial } from './run-table.ts';

// The harness serves every instance in MANIFESTS; add the adversarial ones (./sites.ts).
vi.mock('../hosts/cases.ts', async (importOriginal) => (await import('./sites.ts')).withExtraSites(await importOriginal<typeof import('../hosts/cases.ts')>()));

adversarial('vercel', "Vercel's edge runtime running the generated routing middleware", startVercel);
