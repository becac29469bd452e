import { fileURLToPath } from 'node:url';
import { RuleTester } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from './module-boundaries.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const file = (path: string): string => `${root}${path}`;
const tester = new RuleTester({
  languageOptions: { parser: tsParser, ecmaVersion: 2022, sourceType: 'module' },
});

tester.run('module-boundaries', plugin.rules['module-boundaries'], {
  valid: [
    {
      filename: file('apps/gateway/src/x.ts'),
      code: "import { API_CATALOG } from '@loyalty-edge/contracts';",
    },
    {
      filename: file('apps/gateway/src/x.ts'),
      code: "import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';",
    },
    {
      filename: file('apps/gateway/src/x.ts'),
      code: "import { EscherVerifier } from '@loyalty-edge/escher';",
    },
    {
      filename: file('apps/gateway/src/proxy/x.ts'),
      code: "import { forward } from '../proxy/forwarder.js';",
    },
    {
      filename: file('libs/credentials/contracts/src/x.ts'),
      code: "import { defineRpc } from '@loyalty-edge/contracts';",
    },
    {
      filename: file('apps/credentials/src/x.ts'),
      code: "import { KvOutbox } from '@loyalty-edge/outbox';",
    },
  ],
  invalid: [
    {
      filename: file('apps/gateway/src/x.ts'),
      code: "import { ApiKeysService } from '../../credentials/src/api-keys/api-keys.service.js';",
      errors: [
        { message: 'relative import leaves @loyalty-edge/gateway; import the package instead' },
      ],
    },
    {
      filename: file('apps/management-api/src/x.ts'),
      code: "import { credentialsApp } from '@loyalty-edge/credentials';",
      errors: [{ message: 'apps are never imported (@loyalty-edge/credentials)' }],
    },
    {
      filename: file('apps/gateway/src/x.ts'),
      code: "import { x } from '@loyalty-edge/escher/src/verifier.js';",
      errors: [
        {
          message:
            'deep import @loyalty-edge/escher/src/verifier.js; import @loyalty-edge/escher instead',
        },
      ],
    },
    {
      filename: file('libs/credentials/contracts/src/x.ts'),
      code: "import { Injectable } from '@nestjs/common';",
      errors: [
        { message: 'contracts import no framework, ORM or transport package (@nestjs/common)' },
      ],
    },
    {
      filename: file('libs/credentials/contracts/src/x.ts'),
      code: "import { KvOutbox } from '@loyalty-edge/outbox';",
      errors: [
        {
          message:
            'a contracts project may only use contracts and util projects, not @loyalty-edge/outbox',
        },
      ],
    },
    {
      filename: file('libs/escher/src/x.ts'),
      code: "import { NatsLink } from '@loyalty-edge/nats';",
      errors: [
        {
          message:
            'a util project may only use contracts and util projects, not @loyalty-edge/nats',
        },
      ],
    },
  ],
});
