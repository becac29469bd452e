import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type {
  IpFilterList,
  IpFilterLists,
  PreviewResult,
  UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import type { EnforcementSet } from '@loyalty-edge/signature-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import {
  ETAG_HEADER,
  IfMatch,
  RequiresRevision,
  sendETag,
} from '../revisions/revision.decorators.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import {
  ApiParams,
  EnforcementDto,
  EnforcementUpdateDto,
  IpFilterDto,
  IpListDetailDto,
  IpListDto,
  IpListSavedDto,
  IpPreviewDto,
  IpPreviewResultDto,
} from './policies.dto.js';
import { PoliciesService } from './policies.service.js';

type WithModule<T> = T & { moduleEnabled: boolean };

const IP_LIST = "the API's IP list";
const ENFORCEMENT = 'the signature enforcement';

@ApiTags('policies')
@Controller('api/workspaces/:ws')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get('ip-filter')
  @Role('viewer')
  @ApiOperation({
    summary: "Every API's IP allow-list (as typed and as enforced)",
    description: 'Each list has its own `revision`: a change of one list sends it as If-Match.',
  })
  @ApiOkResponse({ type: IpFilterDto })
  ipLists(@Param() params: WorkspaceParams): Promise<WithModule<IpFilterLists>> {
    return this.policies.ipLists(params.ws);
  }

  @Get('ip-filter/:api')
  @Role('viewer')
  @ApiOperation({ summary: "One API's IP allow-list; its ETag is the list's revision" })
  @ApiOkResponse({ type: IpListDetailDto, headers: ETAG_HEADER })
  async ipList(
    @Param() params: ApiParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WithModule<IpFilterList>> {
    const list = await this.policies.ipList(params.ws, params.api);
    sendETag(reply, list.revision);
    return list;
  }

  @Put('ip-filter/:api')
  @Role('admin')
  @RequiresRevision(IP_LIST)
  @ApiOperation({
    summary: "Replace one API's allow-list; any invalid entry refuses the whole list",
    description:
      "If-Match: the list's ETag (or its `revision` in `GET …/ip-filter`). A change of the list since answers 412 with the current list; other APIs' lists do not count.",
  })
  @ApiOkResponse({ type: IpListSavedDto, headers: ETAG_HEADER })
  async setIpList(
    @CurrentCaller() caller: Caller,
    @Param() params: ApiParams,
    @Body() body: IpListDto,
    @IfMatch(IP_LIST) expected: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UpdateListResult> {
    const change = { api: params.api, entries: body.entries, expected };
    const result = await this.policies.setIpList(caller, params.ws, change);
    sendETag(reply, result.list.revision);
    return result;
  }

  @Post('ip-filter/:api/preview')
  @Role('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Which recent clients of the API a proposed list would refuse (saves nothing)',
  })
  @ApiOkResponse({ type: IpPreviewResultDto })
  previewIpList(@Param() params: ApiParams, @Body() body: IpPreviewDto): Promise<PreviewResult> {
    return this.policies.previewIpList(params.ws, params.api, body.entries, body.days ?? 7);
  }

  @Get('signature-enforcement')
  @Role('viewer')
  @ApiOperation({ summary: 'The APIs on which plain api_key requests are refused' })
  @ApiOkResponse({ type: EnforcementDto, headers: ETAG_HEADER })
  async enforcement(
    @Param() params: WorkspaceParams,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WithModule<EnforcementSet>> {
    const set = await this.policies.enforcement(params.ws);
    sendETag(reply, set.revision);
    return set;
  }

  @Put('signature-enforcement')
  @Role('admin')
  @RequiresRevision(ENFORCEMENT)
  @ApiOperation({ summary: 'Replace the whole set of APIs that require signed requests' })
  @ApiOkResponse({ type: EnforcementDto, headers: ETAG_HEADER })
  async setEnforcement(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: EnforcementUpdateDto,
    @IfMatch(ENFORCEMENT) expected: number,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WithModule<EnforcementSet>> {
    const set = await this.policies.setEnforcement(caller, params.ws, {
      apis: body.apis,
      expected,
    });
    sendETag(reply, set.revision);
    return set;
  }
}
