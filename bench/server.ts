import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/context.js';

// The platform as `npm start` runs it, minus the job worker, for the benchmark's child
// process. Prints "ready <port>" once it listens.
const config = loadConfig(process.env, { logLevel: 'warn', workerInline: false });
const ctx = await createContext(config);
const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: config.port });
process.stdout.write(`ready ${config.port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await closeContext(ctx);
});
