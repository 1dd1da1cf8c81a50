import { loadConfig } from './config.js';
import { createContext } from './context.js';
import { serve } from './cli/serve.js';

// The only entry point that listens (also reached through `npm run xs -- demo --serve`).
await serve(await createContext(loadConfig()));
