import { runMain } from '@loyalty-edge/runtime';
import { gatewayApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('gateway', () => gatewayApp(loadConfig(process.env)));
