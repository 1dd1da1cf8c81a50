import Fastify from 'fastify';

// The baseline: a bare Fastify route returning a short string, run exactly like the app
// (a child process of its own, same Node flags, no logging). POST /votes takes a vote's JSON
// body and answers a small JSON, for the vote bench's floor (bench/deliberation-votes.ts).
const app = Fastify({ logger: false });
app.get('/', async () => 'ok');
app.post('/votes', async (req, reply) => reply.code(201).send({ received: typeof req.body === 'object' }));
const port = Number(process.env.PORT ?? 3999);
const address = await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`ready ${address}\n`);
process.on('SIGTERM', async () => {
  await app.close();
});
