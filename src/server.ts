import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { closeContext, createContext } from './context.js';
import { startBackground } from './platform/background.js';

// The only file that listens. Shutdown: stop accepting, finish in-flight requests, let the
// worker finish the job in hand, then close the database.
const config = loadConfig();
const ctx = await createContext(config);
const app = await buildApp(ctx);
const background = await startBackground(ctx, app.log);

closeWithGrace({ delay: 20_000 }, async ({ err, signal }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  await background.stop();
  await closeContext(ctx);
});

await app.listen({ host: config.host, port: config.port });
