import { runMain } from '@loyalty-edge/runtime';
import { managementApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('management-api', () => managementApp(loadConfig(process.env)));
