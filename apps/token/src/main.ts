import { runMain } from '@loyalty-edge/runtime';
import { tokenApp } from './app.module.js';
import { loadConfig } from './config.js';
import { SigningKeysService } from './signing-keys/signing-keys.service.js';

await runMain('token', () => tokenApp(loadConfig(process.env)), {
  'rotate-signing-key': async (app) => {
    const keys = app.get(SigningKeysService);
    const rotated = await keys.rotateIfDue(new Date(), true);
    await keys.publish();
    return rotated
      ? `signing key ${rotated.kid} is published and signs from ${rotated.activatesAt.toISOString()}`
      : 'no rotation needed';
  },
});
