import { CreateKvOutbox1736000000000 } from '@loyalty-edge/outbox';
import { CreateEnforcement1733000000000 } from './1733000000000-create-enforcement.js';

export const migrations = [CreateEnforcement1733000000000, CreateKvOutbox1736000000000];
