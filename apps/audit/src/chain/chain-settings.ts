import type { AuditConfig } from '../config.js';

export const CHAIN_SETTINGS = 'AUDIT_CHAIN_SETTINGS';
export type ChainSettings = AuditConfig['chain'];
