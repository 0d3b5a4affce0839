import { vi } from 'vitest';
import { startWorkerd } from '../hosts/runtimes/workerd.ts';
import { adversarial } from './run-table.ts';

// The harness serves every instance in MANIFESTS; add the adversarial ones (./sites.ts).
vi.mock('../hosts/cases.ts', async (importOriginal) => (await import('./sites.ts')).withExtraSites(await importOriginal<typeof import('../hosts/cases.ts')>()));

adversarial('workerd', 'workerd (Miniflare) running the generated Cloudflare Worker', startWorkerd);
