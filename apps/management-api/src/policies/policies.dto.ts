import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { API_IDS } from '@loyalty-edge/contracts';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import type {
  EnforcementRequest,
  IpListRequest,
  IpPreviewRequest,
} from '@loyalty-edge/management-contracts';

export class ApiParams extends WorkspaceParams {
  @ApiProperty({ enum: API_IDS, example: 'events' }) @IsString() api!: string;
}

export class IpListDto implements IpListRequest {
  @ApiProperty({
    type: [String],
    example: ['192.168.1.2', '10.0.0.0/8', '2001:db8::/32'],
    description: 'The whole list: addresses and CIDR ranges, IPv4 or IPv6. Empty: no filtering.',
  })
  @IsArray()
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  entries!: string[];
}

export class IpPreviewDto extends IpListDto implements IpPreviewRequest {
  @ApiProperty({
    required: false,
    minimum: 1,
    maximum: 90,
    default: 7,
    description: 'Days of traffic to check',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  days?: number;
}

export class IpEntryDto {
  @ApiProperty({ example: '192.168.0.3/24' }) input!: string;
  @ApiProperty({ example: '192.168.0.0/24' }) normalized!: string;
  @ApiProperty() hostBitsCleared!: boolean;
}

export class IpListViewDto {
  @ApiProperty({ enum: API_IDS }) api!: string;
  @ApiProperty({ type: [IpEntryDto] }) entries!: IpEntryDto[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
  @ApiProperty({
    description:
      "The list's revision (0: never saved), its ETag: a change of this list sends it as If-Match",
  })
  revision!: number;
}

export class IpListDetailDto extends IpListViewDto {
  @ApiProperty({ description: 'Whether the IP filter module is on (lists are enforced only then)' })
  moduleEnabled!: boolean;
}

export class IpFilterDto {
  @ApiProperty({ description: 'Whether the IP filter module is on (lists are enforced only then)' })
  moduleEnabled!: boolean;
  @ApiProperty({ type: [IpListViewDto], description: 'Each with its own revision' })
  apis!: IpListViewDto[];
}

export class MergedDto {
  @ApiProperty() normalized!: string;
  @ApiProperty({ type: [String] }) inputs!: string[];
}

export class IpListSavedDto {
  @ApiProperty({ type: IpListViewDto }) list!: IpListViewDto;
  @ApiProperty({ type: [MergedDto], description: 'Entries that normalised to the same range' })
  merged!: MergedDto[];
  @ApiProperty({ description: 'False when the enforced ranges did not change' }) changed!: boolean;
}

export class ClientCountDto {
  @ApiProperty({ example: '203.0.113.7' }) ip!: string;
  @ApiProperty() requests!: number;
}

export class IpPreviewResultDto {
  @ApiProperty({ type: [IpEntryDto] }) entries!: IpEntryDto[];
  @ApiProperty({ description: 'False when the list is empty: nothing would be filtered' })
  filtering!: boolean;
  @ApiProperty({
    type: [ClientCountDto],
    description: 'Clients the list would refuse, busiest first',
  })
  blocked!: ClientCountDto[];
  @ApiProperty({
    type: Object,
    example: { clients: 12, requests: 5400, blockedClients: 1, blockedRequests: 3 },
  })
  totals!: Record<string, number>;
}

export class EnforcementUpdateDto implements EnforcementRequest {
  @ApiProperty({ type: [String], enum: API_IDS, isArray: true, example: ['events', 'customer'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  apis!: string[];
}

export class EnforcementDto {
  @ApiProperty({ description: 'Whether the API signature check module is on' })
  moduleEnabled!: boolean;
  @ApiProperty({ type: [String], enum: API_IDS, isArray: true }) apis!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) updatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
  @ApiProperty({ description: 'The revision (0: never saved), also the ETag' }) revision!: number;
}
