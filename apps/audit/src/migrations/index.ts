import { CreateAuditTables1734000000000 } from './1734000000000-create-audit-tables.js';
import { AddAuthClientAndTokenDetails1735000000000 } from './1735000000000-add-auth-client-and-token-details.js';
import { AddHashChains1736000000000 } from './1736000000000-add-hash-chains.js';

export const migrations = [
  CreateAuditTables1734000000000,
  AddAuthClientAndTokenDetails1735000000000,
  AddHashChains1736000000000,
];
