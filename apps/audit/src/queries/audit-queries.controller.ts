import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  AUDIT_PAGE,
  AuditRpc,
  CLIENT_IP_DAYS,
  type ListQuery,
} from '@loyalty-edge/audit-contracts';
import type { RequestOf, ResponseOf } from '@loyalty-edge/contracts';
import { IsStringRecord } from '../is-string-record.js';
import { AuditQueriesService } from './audit-queries.service.js';

const ISO = { strict: true, strictSeparator: true };

/** What a subject answers, as its contract declares it. */
type Reply<C> = Promise<ResponseOf<C>>;

class WorkspaceDto {
  @IsString() @Length(1, 64) workspaceId!: string;
}

class ListQueryDto extends WorkspaceDto implements ListQuery {
  @IsOptional() @IsString() @MaxLength(400) cursor?: string;
  @IsOptional() @IsInt() @Min(1) @Max(AUDIT_PAGE.max) limit?: number;
  @IsOptional() @IsISO8601(ISO) from?: string;
  @IsOptional() @IsISO8601(ISO) to?: string;
  /** Which keys a list accepts is checked by the service (AUDIT_FILTERS). */
  @IsOptional() @IsStringRecord(10, 200) filters?: Record<string, string>;
}

class GetFailedCallDto extends WorkspaceDto implements RequestOf<typeof AuditRpc.failedCall> {
  @IsString() @Length(1, 100) id!: string;
}

class ClientIpsDto extends WorkspaceDto implements RequestOf<typeof AuditRpc.clientIps> {
  @IsString() @Length(1, 64) api!: string;
  @IsInt() @Min(CLIENT_IP_DAYS.min) @Max(CLIENT_IP_DAYS.max) days!: number;
}

class KeyUsageDto extends WorkspaceDto implements RequestOf<typeof AuditRpc.keyUsage> {
  @IsInt() @Min(CLIENT_IP_DAYS.min) @Max(CLIENT_IP_DAYS.max) days!: number;
}

@Controller()
export class AuditQueriesController {
  constructor(private readonly queries: AuditQueriesService) {}

  @MessagePattern(AuditRpc.changes.subject)
  changes(@Payload() dto: ListQueryDto): Reply<typeof AuditRpc.changes> {
    return this.queries.changes(dto);
  }

  @MessagePattern(AuditRpc.failedCalls.subject)
  failedCalls(@Payload() dto: ListQueryDto): Reply<typeof AuditRpc.failedCalls> {
    return this.queries.failedCalls(dto);
  }

  @MessagePattern(AuditRpc.failedCall.subject)
  failedCall(@Payload() dto: GetFailedCallDto): Reply<typeof AuditRpc.failedCall> {
    return this.queries.failedCall(dto.workspaceId, dto.id);
  }

  @MessagePattern(AuditRpc.authClients.subject)
  authClients(@Payload() dto: ListQueryDto): Reply<typeof AuditRpc.authClients> {
    return this.queries.authClients(dto);
  }

  @MessagePattern(AuditRpc.tokens.subject)
  tokens(@Payload() dto: ListQueryDto): Reply<typeof AuditRpc.tokens> {
    return this.queries.tokens(dto);
  }

  @MessagePattern(AuditRpc.clientIps.subject)
  clientIps(@Payload() dto: ClientIpsDto): Reply<typeof AuditRpc.clientIps> {
    return this.queries.clientIps(dto);
  }

  @MessagePattern(AuditRpc.keyUsage.subject)
  keyUsage(@Payload() dto: KeyUsageDto): Reply<typeof AuditRpc.keyUsage> {
    return this.queries.keyUsage(dto);
  }
}
