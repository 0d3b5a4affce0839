import { conformance } from './cases.ts';
import { startRaw } from './runtimes/raw.ts';

conformance('raw', 'raw serve() with in-memory host stubs', startRaw);
