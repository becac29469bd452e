import { CreateSigningKeys1733000000000 } from './1733000000000-create-signing-keys.js';

export const migrations = [CreateSigningKeys1733000000000];
