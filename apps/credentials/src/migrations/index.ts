import { CreateKvOutbox1736000000000 } from '@loyalty-edge/outbox';
import { CreateApiKeys1733000000000 } from './1733000000000-create-api-keys.js';

export const migrations = [CreateApiKeys1733000000000, CreateKvOutbox1736000000000];
