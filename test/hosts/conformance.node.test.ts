import { conformance } from './cases.ts';
import { startNode } from './runtimes/node.ts';

conformance('node', 'Node server over HTTP', startNode);
