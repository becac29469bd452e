import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import type { BulkEventResponse, EventResponse } from '@loyalty-edge/loyalty-contracts';
import {
  Caller,
  GatewayContextGuard,
  type GatewayContext,
} from '../gateway-context/gateway-context.js';
import { BulkEventsDto, EventDto } from './event.dto.js';
import { EventsService } from './events.service.js';

@Controller('events')
@UseGuards(GatewayContextGuard)
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(200)
  submit(@Caller() caller: GatewayContext, @Body() dto: EventDto): Promise<EventResponse> {
    return this.events.submit(caller.workspaceId, dto);
  }

  @Post('bulk')
  @HttpCode(200)
  bulk(@Caller() caller: GatewayContext, @Body() dto: BulkEventsDto): Promise<BulkEventResponse> {
    return this.events.bulk(caller.workspaceId, dto.events);
  }
}
