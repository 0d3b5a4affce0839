import { conformance } from './cases.ts';
import { startWorkerd } from './runtimes/workerd.ts';

conformance('workerd', 'workerd (Miniflare) running the generated Cloudflare Worker', startWorkerd);
