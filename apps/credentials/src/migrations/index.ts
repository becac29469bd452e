import { CreateApiKeys1733000000000 } from './1733000000000-create-api-keys.js';

export const migrations = [CreateApiKeys1733000000000];
