import { Module } from '@nestjs/common';
import { AuditQueriesController } from './audit-queries.controller.js';
import { AuditQueriesService } from './audit-queries.service.js';

/** Answers every `AuditRpc` subject. */
@Module({
  controllers: [AuditQueriesController],
  providers: [AuditQueriesService],
})
export class QueriesModule {}
