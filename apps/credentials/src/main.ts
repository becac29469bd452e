import { runMain } from '@loyalty-edge/runtime';
import { ApiKeysService } from './api-keys/api-keys.service.js';
import { credentialsApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('credentials', () => credentialsApp(loadConfig(process.env)), {
  'rotate-kek': async (app) => `re-wrapped ${await app.get(ApiKeysService).rotateKek()} secret(s)`,
});
