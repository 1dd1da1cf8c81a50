import Fastify from 'fastify';

// The baseline: a bare Fastify route returning a short string, run exactly like the app
// (a child process of its own, same Node flags, no logging).
const app = Fastify({ logger: false });
app.get('/', async () => 'ok');
const port = Number(process.env.PORT ?? 3999);
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`ready ${port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
});
