import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../access/principal.js';
import { CurrentCaller } from '../access/request-context.js';
import { Role } from '../access/role.decorator.js';
import { WorkspaceParams } from '../workspaces/workspace.dto.js';
import { BrowserExchangeDto, BrowserRequestDto } from './api-browser.dto.js';
import type { BrowserExchange } from '@loyalty-edge/management-contracts';
import { ApiBrowserService } from './api-browser.service.js';

@ApiTags('api-browser')
@Controller('api/workspaces/:ws/api-browser')
export class ApiBrowserController {
  constructor(private readonly browser: ApiBrowserService) {}

  /**
   * Admins only: a call uses the workspace's credentials and can change customers (viewers
   * read the Errors tab). Any status the gateway answers is a 200 here, with the exchange.
   */
  @Post('requests')
  @Role('admin')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary:
      "Call the Events or Customer API through the gateway with the workspace's active key (plain or signed here)",
  })
  @ApiOkResponse({ type: BrowserExchangeDto })
  send(
    @CurrentCaller() caller: Caller,
    @Param() params: WorkspaceParams,
    @Body() body: BrowserRequestDto,
  ): Promise<BrowserExchange> {
    return this.browser.send(
      caller,
      params.ws,
      { method: body.method, path: body.path, query: body.query ?? {}, body: body.body },
      body.auth,
    );
  }
}
