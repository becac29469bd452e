import { runMain } from '@loyalty-edge/runtime';
import { ipFilterApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('ip-filter', () => ipFilterApp(loadConfig(process.env)));
