import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  IpFilterLists,
  PreviewResult,
  UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import type { EnforcementSet } from '@loyalty-edge/signature-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import {
  ApiParams,
  EnforcementDto,
  EnforcementUpdateDto,
  IpFilterDto,
  IpListDto,
  IpListSavedDto,
  IpPreviewDto,
  IpPreviewResultDto,
} from './policies.dto.js';
import { PoliciesService } from './policies.service.js';

@ApiTags('policies')
@Controller('api/workspaces/:ws')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get('ip-filter')
  @Role('viewer')
  @ApiOperation({ summary: "Every API's IP allow-list (as typed and as enforced)" })
  @ApiOkResponse({ type: IpFilterDto })
  ipLists(@Param() params: WorkspaceParams): Promise<IpFilterLists & { moduleEnabled: boolean }> {
    return this.policies.ipLists(params.ws);
  }

  @Put('ip-filter/:api')
  @Role('admin')
  @ApiOperation({
    summary: "Replace one API's allow-list; any invalid entry refuses the whole list",
  })
  @ApiOkResponse({ type: IpListSavedDto })
  setIpList(
    @CurrentCaller() caller: Caller,
    @Param() params: ApiParams,
    @Body() body: IpListDto,
  ): Promise<UpdateListResult> {
    return this.policies.setIpList(caller, params.ws, params.api, body.entries);
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
  @ApiOkResponse({ type: EnforcementDto })
  enforcement(
    @Param() params: WorkspaceParams,
  ): Promise<EnforcementSet & { moduleEnabled: boolean }> {
    return this.policies.enforcement(params.ws);
  }

  @Put('signature-enforcement')
  @Role('admin')
  @ApiOperation({ summary: 'Replace the whole set of APIs that require signed requests' })
  @ApiOkResponse({ type: EnforcementDto })
  setEnforcement(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: EnforcementUpdateDto,
  ): Promise<EnforcementSet & { moduleEnabled: boolean }> {
    return this.policies.setEnforcement(caller, params.ws, body.apis);
  }
}
