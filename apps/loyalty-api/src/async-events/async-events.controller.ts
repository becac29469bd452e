import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { Equals, IsOptional } from 'class-validator';
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

/** What a caller is told when it sends a `callback_url` (README "Async events"). */
export const CALLBACK_REFUSED =
  'callback_url is not supported: poll GET /v1/async/events/{correlation_id} for the status';

class AsyncEventDto extends EventDto implements AsyncEventRequest {
  /**
   * Refused (400) rather than stored and never called: this backend sends no callbacks (a
   * URL chosen by the caller, called from inside the platform, needs an egress allow-list).
   */
  @IsOptional()
  @Equals(undefined, { message: CALLBACK_REFUSED })
  callback_url?: unknown;
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
