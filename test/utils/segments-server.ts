import { once } from 'node:events';
import { createSegmentsServer } from 'astro-segments/server';

export interface ServedSite {
  readonly origin: string;
  stop(): Promise<void>;
}

/** A built site served by the Node server (`createSegmentsServer`) in this process, on 127.0.0.1 and a free port. */
export async function serveBuilt(dir: string): Promise<ServedSite> {
  const server = createSegmentsServer({ dir });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    origin: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
