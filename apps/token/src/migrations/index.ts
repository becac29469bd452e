import { CreateKvOutbox1736000000000 } from '@loyalty-edge/outbox';
import { CreateSigningKeys1733000000000 } from './1733000000000-create-signing-keys.js';
import { AddKeyActivation1733000000001 } from './1733000000001-add-key-activation.js';
import { CreateAuthClients1733000000002 } from './1733000000002-create-auth-clients.js';

export const migrations = [
  CreateSigningKeys1733000000000,
  AddKeyActivation1733000000001,
  CreateAuthClients1733000000002,
  CreateKvOutbox1736000000000,
];
