import { Module } from '@nestjs/common';
import { AuditVerifyController } from './audit-verify.controller.js';

/** Operators' check of a workspace's audit hash chains, answered by the audit service. */
@Module({ controllers: [AuditVerifyController] })
export class AuditVerifyModule {}
