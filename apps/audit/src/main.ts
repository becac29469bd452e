import { runMain } from '@loyalty-edge/runtime';
import { auditApp } from './app.module.js';
import { loadConfig } from './config.js';

await runMain('audit', () => auditApp(loadConfig(process.env)));
