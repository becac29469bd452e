import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { API_CATALOG } from '@loyalty-edge/contracts';
import { Role } from '../access/role.decorator.js';

export class ApiEntryDto {
  @ApiProperty({ example: 'events' }) id!: string;
  @ApiProperty({ example: 'Events' }) name!: string;
}

@ApiTags('catalog')
@Controller('api/apis')
export class CatalogController {
  @Get()
  @Role('authenticated')
  @ApiOperation({ summary: 'The endpoint catalog: the APIs IP filter and enforcement apply to' })
  @ApiOkResponse({ type: [ApiEntryDto] })
  list(): ApiEntryDto[] {
    return API_CATALOG.map(({ id, name }) => ({ id, name }));
  }
}
