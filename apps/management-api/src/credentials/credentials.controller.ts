import { Body, Controller, Get, Header, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { GeneratedCredentials } from '@loyalty-edge/credentials-contracts';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import {
  CredentialsDto,
  GenerateCredentialsDto,
  GeneratedCredentialsDto,
} from './credentials.dto.js';
import {
  CredentialsService,
  type ClientSettings,
  type CredentialsWithUsage,
} from './credentials.service.js';

@ApiTags('credentials')
@Controller('api/workspaces/:ws/credentials')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get()
  @Role('viewer')
  @ApiOperation({
    summary:
      'The active API key (and the replaced one during an overlap), its recent use, the credential scope and the gateway URL',
  })
  @ApiOkResponse({ type: CredentialsDto })
  get(@Param() params: WorkspaceParams): Promise<CredentialsWithUsage> {
    return this.credentials.get(params.ws);
  }

  @Post()
  @Role('admin')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary:
      'Generate new credentials; the old ones stop working at once, or after the overlap asked for (up to 24 h); secret once',
  })
  @ApiCreatedResponse({ type: GeneratedCredentialsDto })
  generate(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: GenerateCredentialsDto,
  ): Promise<GeneratedCredentials & ClientSettings> {
    return this.credentials.generate(caller, params.ws, body.overlapSeconds ?? 0);
  }
}
