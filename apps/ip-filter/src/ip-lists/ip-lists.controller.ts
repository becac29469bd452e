import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import type { RequestOf } from '@loyalty-edge/contracts';
import {
  IpFilterRpc,
  type IpFilterLists,
  type PreviewResult,
  type UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import { ActorDto, ActorField } from '@loyalty-edge/runtime';
import { IpListsService } from './ip-lists.service.js';

/** Workspace ids are KV keys of the `ip_filters` bucket. */
const KV_KEY = /^[A-Za-z0-9_-]{1,64}$/;

class WorkspaceDto implements RequestOf<typeof IpFilterRpc.getLists> {
  @IsString() @Matches(KV_KEY) workspaceId!: string;
}

/** Entries are checked one by one in the service, so every bad one is named with its reason. */
class ListDto extends WorkspaceDto {
  @IsString() @Length(1, 64) api!: string;
  @IsArray() @IsString({ each: true }) entries!: string[];
}

class UpdateDto extends ListDto implements RequestOf<typeof IpFilterRpc.update> {
  @IsInt() @Min(0) expectedRevision!: number;
  @ActorField() actor!: ActorDto;
  @IsOptional() @IsString() requestId?: string;
}

class ClientIpDto {
  @IsString() @Length(1, 100) ip!: string;
  @IsInt() @Min(0) requests!: number;
}

class PreviewDto extends ListDto implements RequestOf<typeof IpFilterRpc.preview> {
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => ClientIpDto)
  clientIps!: ClientIpDto[];
}

@Controller()
export class IpListsController {
  constructor(private readonly lists: IpListsService) {}

  @MessagePattern(IpFilterRpc.getLists.subject)
  getLists(@Payload() dto: WorkspaceDto): Promise<IpFilterLists> {
    return this.lists.getLists(dto.workspaceId);
  }

  @MessagePattern(IpFilterRpc.update.subject)
  update(@Payload() dto: UpdateDto): Promise<UpdateListResult> {
    return this.lists.update(dto);
  }

  @MessagePattern(IpFilterRpc.preview.subject)
  preview(@Payload() dto: PreviewDto): PreviewResult {
    return this.lists.preview(dto);
  }
}
