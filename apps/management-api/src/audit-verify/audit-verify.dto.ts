import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_LOGS, type AuditLogName, type ChainBreakKind } from '@loyalty-edge/audit-contracts';

const KINDS: readonly ChainBreakKind[] = ['altered', 'removed', 'reordered', 'truncated'];

export class ChainBreakDto {
  @ApiProperty({
    enum: KINDS,
    description:
      'altered: content not as written; removed: an entry missing between two others; ' +
      'reordered: an intact entry no longer after the one it was chained to; truncated: the ' +
      'newest entries missing (named by the chain head or a signed anchor)',
  })
  kind!: ChainBreakKind;
  @ApiProperty({ type: 'integer', description: 'Position in the chain' }) seq!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Event id, null when missing' })
  id!: string | null;
  @ApiProperty() detail!: string;
}

export class ChainLogReportDto {
  @ApiProperty({ enum: AUDIT_LOGS }) log!: AuditLogName;
  @ApiProperty({ type: 'integer' }) entries!: number;
  @ApiProperty({ type: 'integer' }) firstSeq!: number;
  @ApiProperty({ type: 'integer' }) lastSeq!: number;
  @ApiProperty({ type: 'integer', nullable: true }) anchoredSeq!: number | null;
  @ApiProperty({ type: 'integer', description: 'Entries stored before chaining began' })
  unchained!: number;
  @ApiProperty({ type: ChainBreakDto, nullable: true }) broken!: ChainBreakDto | null;
}

export class ChainVerificationDto {
  @ApiProperty() workspaceId!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) anchoredAt!: string | null;
  @ApiProperty({ type: [ChainLogReportDto] }) logs!: ChainLogReportDto[];
}
