import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import type { RateLimitRequest } from '@loyalty-edge/management-contracts';

/** The most an operator may set: about 16,700 requests a second per credential. */
export const MAX_REQUESTS_PER_MINUTE = 1_000_000;

const DESCRIPTION =
  'Requests per minute per API key (api_key and Escher requests) and per auth client (Bearer ' +
  "tokens), counted across every gateway replica. 0: no limit. null: the gateways' default " +
  '(RATE_LIMIT_DEFAULT_PER_MINUTE, 1,500 unless the deployment sets another).';

export class RateLimitDto implements RateLimitRequest {
  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    maximum: MAX_REQUESTS_PER_MINUTE,
    example: 1500,
    description: DESCRIPTION,
  })
  @ValidateIf((body: { requestsPerMinute?: unknown }) => body.requestsPerMinute !== null)
  @IsInt()
  @Min(0)
  @Max(MAX_REQUESTS_PER_MINUTE)
  requestsPerMinute!: number | null;
}

export class RateLimitViewDto extends RateLimitDto {
  @ApiProperty({ format: 'date-time', description: 'When the workspace was last changed' })
  updatedAt!: string;
}
