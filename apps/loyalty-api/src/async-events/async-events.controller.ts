import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import type {
  AsyncEventAccepted,
  AsyncEventRequest,
  AsyncEventStatusResponse,
} from '@loyalty-edge/loyalty-contracts';
import { EventDto } from '../events/event.dto.js';
import {
  Caller,
  GatewayContextGuard,
  type GatewayContext,
} from '../gateway-context/gateway-context.js';
import { AsyncEventsService } from './async-events.service.js';

class AsyncEventDto extends EventDto implements AsyncEventRequest {
  /** Stored with the event; callbacks are not sent yet. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['https'], require_protocol: true, require_tld: true })
  callback_url?: string;
}

@Controller('v1/async/events')
@UseGuards(GatewayContextGuard)
export class AsyncEventsController {
  constructor(private readonly asyncEvents: AsyncEventsService) {}

  @Post()
  @HttpCode(200)
  submit(
    @Caller() caller: GatewayContext,
    @Body() dto: AsyncEventDto,
  ): Promise<AsyncEventAccepted> {
    return this.asyncEvents.enqueue(caller, dto);
  }

  @Get(':correlationId')
  status(
    @Caller() caller: GatewayContext,
    @Param('correlationId') correlationId: string,
  ): Promise<AsyncEventStatusResponse> {
    return this.asyncEvents.status(caller.workspaceId, correlationId);
  }
}
