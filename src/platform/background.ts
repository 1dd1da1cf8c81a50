import type { FastifyBaseLogger } from 'fastify';
import type { AppContext } from '../context.js';

export interface Background {
  stop(): Promise<void>;
}

/** Starts what runs beside the web server in this process: the job worker and cross-node signals. */
export async function startBackground(_ctx: AppContext, _log: FastifyBaseLogger): Promise<Background> {
  const stops: Array<() => Promise<void>> = [];
  return {
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  };
}
