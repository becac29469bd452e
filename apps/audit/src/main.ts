import { runMain } from '@loyalty-edge/runtime';
import { auditApp } from './app.module.js';
import { ChainVerifier } from './chain/chain-verifier.js';
import { verifyReport, workspaceArgument } from './chain/verify-command.js';
import { loadConfig } from './config.js';

const command = process.argv[2];

await runMain('audit', () => auditApp(loadConfig(process.env), { serve: command === undefined }), {
  // node dist/main.js verify --workspace <id>: prints the report; exit status 1 when broken
  verify: async (app) => {
    const workspaceId = workspaceArgument(process.argv.slice(3));
    const result = await app.get(ChainVerifier).verify(workspaceId);
    process.stdout.write(verifyReport(result));
    if (!result.ok) process.exitCode = 1;
    return result.ok ? 'chains intact' : 'chain broken';
  },
});
