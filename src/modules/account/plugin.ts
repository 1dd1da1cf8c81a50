import type { FastifyPluginAsync } from 'fastify';
import { account } from './account-routes.js';
import { accountApi } from './api.js';
import { signIn } from './routes.js';

/** Sign-in, sign-out, the account area and /api/v1/me. */
export const accountRoutes: FastifyPluginAsync = async (app) => {
  await app.register(signIn);
  await app.register(account);
  await app.register(accountApi);
};
