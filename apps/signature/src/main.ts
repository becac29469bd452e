import { runMain } from '@loyalty-edge/runtime';
import { signatureApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('signature', () => signatureApp(loadConfig(process.env)));
