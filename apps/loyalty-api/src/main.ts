import { runMain } from '@loyalty-edge/runtime';
import { loyaltyApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('loyalty-api', () => loyaltyApp(loadConfig(process.env)));
