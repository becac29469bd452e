import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { API_CATALOG, type ApiDescriptor } from '@loyalty-edge/contracts';
import { Role } from '../access/role.decorator.js';

export class ApiEntryDto {
  @ApiProperty({ example: 'events' }) id!: string;
  @ApiProperty({ example: 'Events' }) name!: string;
  @ApiProperty({ required: false, description: 'Kept for existing integrations' })
  legacy?: boolean;
  @ApiProperty({ required: false, example: 'Workflow Campaigns API', description: 'Former name' })
  formerly?: string;
}

@ApiTags('catalog')
@Controller('api/apis')
export class CatalogController {
  @Get()
  @Role('authenticated')
  @ApiOperation({ summary: 'The endpoint catalog: the APIs IP filter and enforcement apply to' })
  @ApiOkResponse({ type: [ApiEntryDto] })
  list(): ApiEntryDto[] {
    return API_CATALOG.map((api: ApiDescriptor) => ({
      id: api.id,
      name: api.name,
      ...(api.legacy === true ? { legacy: true } : {}),
      ...(api.formerly === undefined ? {} : { formerly: api.formerly }),
    }));
  }
}
