import { CreateKvOutbox1736000000000 } from '@loyalty-edge/outbox';
import { CreateIpLists1733100000000 } from './1733100000000-create-ip-lists.js';

export const migrations = [CreateIpLists1733100000000, CreateKvOutbox1736000000000];
