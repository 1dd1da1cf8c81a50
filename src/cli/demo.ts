import { loadConfig } from '../config.js';
import { closeContext, createContext } from '../context.js';
import { DemoRefusedError, seedDemo } from '../modules/demo/seed.js';
import { CliError, type Io } from './common.js';
import { serve } from './serve.js';

/** `demo [--serve] [--force]`: seeds the fictional 青山县政协; with --serve, then runs the site on it. */
export async function demo(values: Record<string, unknown>, io: Io): Promise<void> {
  const ctx = await createContext(loadConfig());
  let serving = false;
  try {
    try {
      await seedDemo(ctx, { log: io.out, force: values.force === true });
    } catch (err) {
      if (!(err instanceof DemoRefusedError)) throw err;
      // `npm run demo` a second time serves what the first one seeded.
      if (!values.serve) throw new CliError(err.message);
      io.err(`${err.message} Serving the database as it is.`);
    }
    if (values.serve) {
      await serve(ctx);
      serving = true;
      io.out(`Demo site on http://localhost:${ctx.config.port}/`);
    }
  } finally {
    if (!serving) await closeContext(ctx);
  }
}
