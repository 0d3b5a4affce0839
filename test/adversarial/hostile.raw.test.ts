import { vi } from 'vitest';
import { startRaw } from '../hosts/runtimes/raw.ts';
import { adversarial } from './run-table.ts';

// The harness serves every instance in MANIFESTS; add the adversarial ones (./sites.ts).
vi.mock('../hosts/cases.ts', async (importOriginal) => (await import('./sites.ts')).withExtraSites(await importOriginal<typeof import('../hosts/cases.ts')>()));

adversarial('raw', 'raw serve() with in-memory host stubs', startRaw, { inProcess: true });
