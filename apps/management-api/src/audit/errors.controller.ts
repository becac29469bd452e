import { Controller, Get, Param, Query, type StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import {
  AuditRpc,
  type FailedCallEvent,
  type FailedCallSummary,
  type Page,
} from '@loyalty-edge/audit-contracts';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import { AuditQueries } from './audit-queries.js';
import { ErrorsQueryDto } from './audit-query.dto.js';
import { FailedCallDto, FailedCallsPageDto } from './audit.dto.js';
import { FAILED_CALL_COLUMNS } from './export-columns.js';
import { EXPORT_TYPES, respond } from './export-response.js';

class FailedCallParams extends WorkspaceParams {
  @ApiProperty() @IsString() @Length(1, 100) id!: string;
}

@ApiTags('errors')
@Controller('api/workspaces/:ws/errors')
export class ErrorsController {
  constructor(private readonly audit: AuditQueries) {}

  @Get()
  @Role('viewer')
  @ApiOperation({ summary: 'Failed API calls seen by the gateway (status >= 400)' })
  @ApiProduces(...EXPORT_TYPES)
  @ApiOkResponse({ type: FailedCallsPageDto })
  async list(
    @Param() params: WorkspaceParams,
    @Query() query: ErrorsQueryDto,
  ): Promise<Page<FailedCallSummary> | StreamableFile> {
    const filters = { api: query.api, status: query.status, reason: query.reason };
    return respond(
      await this.audit.list(AuditRpc.failedCalls, params.ws, query, filters, FAILED_CALL_COLUMNS),
    );
  }

  @Get(':id')
  @Role('viewer')
  @ApiOperation({ summary: 'One failed call with its request and response (redacted)' })
  @ApiOkResponse({ type: FailedCallDto })
  get(@Param() params: FailedCallParams): Promise<FailedCallEvent> {
    return this.audit.failedCall(params.ws, params.id);
  }
}
