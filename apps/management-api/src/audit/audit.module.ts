import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditQueries } from './audit-queries.js';
import { ErrorsController } from './errors.controller.js';

@Module({ controllers: [AuditController, ErrorsController], providers: [AuditQueries] })
export class AuditModule {}
