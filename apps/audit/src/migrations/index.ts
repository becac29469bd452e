import { CreateAuditTables1734000000000 } from './1734000000000-create-audit-tables.js';

export const migrations = [CreateAuditTables1734000000000];
