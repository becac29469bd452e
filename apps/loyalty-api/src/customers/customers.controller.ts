import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  CUSTOMER_EVENTS_PAGE,
  CUSTOMER_PAGE,
  CUSTOMER_STATUSES,
  type CustomerCount,
  type CustomerEvents,
  type CustomerPage,
  type CustomerStatus,
  type CustomerView,
} from '@loyalty-edge/loyalty-contracts';
import {
  Caller,
  GatewayContextGuard,
  type GatewayContext,
} from '../gateway-context/gateway-context.js';
import { CustomersService } from './customers.service.js';

class StatusQuery {
  @IsOptional() @IsIn(CUSTOMER_STATUSES) status?: CustomerStatus;

  /** Sent by plain-key clients; the gateway has already checked it. */
  @IsOptional() @IsString() api_key?: string;
}

class ListQuery extends StatusQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CUSTOMER_PAGE.maxLimit)
  limit?: number;

  @IsOptional() @IsString() @MaxLength(400) cursor?: string;
}

class EventsQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CUSTOMER_EVENTS_PAGE.maxLimit)
  limit?: number;

  /** Sent by plain-key clients; the gateway has already checked it. */
  @IsOptional() @IsString() api_key?: string;
}

@Controller('customers')
@UseGuards(GatewayContextGuard)
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  list(@Caller() caller: GatewayContext, @Query() query: ListQuery): Promise<CustomerPage> {
    return this.customers.list(caller.workspaceId, query);
  }

  @Get('-/count')
  async count(
    @Caller() caller: GatewayContext,
    @Query() query: StatusQuery,
  ): Promise<CustomerCount> {
    return { count: await this.customers.count(caller.workspaceId, query.status) };
  }

  @Get(':id/events')
  events(
    @Caller() caller: GatewayContext,
    @Param('id') id: string,
    @Query() query: EventsQuery,
  ): Promise<CustomerEvents> {
    return this.customers.events(caller.workspaceId, id, query.limit);
  }

  @Get(':id')
  get(@Caller() caller: GatewayContext, @Param('id') id: string): Promise<CustomerView> {
    return this.customers.get(caller.workspaceId, id);
  }
}
