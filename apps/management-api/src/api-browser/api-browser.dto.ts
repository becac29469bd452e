import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  BROWSER_AUTHS,
  BROWSER_METHODS,
  type BrowserAuth,
  type BrowserMethod,
  type BrowserRequest,
} from '@loyalty-edge/management-contracts';

export class BrowserRequestDto implements BrowserRequest {
  @ApiProperty({ enum: BROWSER_METHODS })
  @IsIn(BROWSER_METHODS)
  method!: BrowserMethod;

  @ApiProperty({
    description:
      'An Events or Customer API path: /events, /events/bulk, /customers, /customers/-/count, /customers/{id} (the id unencoded)',
    example: '/events',
  })
  @IsString()
  @MaxLength(300)
  path!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Query parameters the path takes (limit, cursor, status)',
  })
  @IsOptional()
  @IsObject()
  query?: Record<string, string>;

  @ApiPropertyOptional({ description: 'The JSON body of a POST (an object)' })
  @Allow()
  body?: unknown;

  @ApiProperty({
    enum: BROWSER_AUTHS,
    description: 'Plain api_key, or an Escher signature made here with a derived day key',
  })
  @IsIn(BROWSER_AUTHS)
  auth!: BrowserAuth;
}

class SentRequestDto {
  @ApiProperty() method!: string;
  @ApiProperty({ description: 'The gateway URL called; api_key redacted' }) url!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers!: Record<string, string>;
  @ApiProperty({ type: 'string', nullable: true }) body!: string | null;
}

class ReceivedResponseDto {
  @ApiProperty() status!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers!: Record<string, string>;
  @ApiProperty() body!: string;
  @ApiProperty({ description: 'The body was longer than 256 KiB and is cut' }) truncated!: boolean;
}

export class BrowserExchangeDto {
  @ApiProperty({ enum: BROWSER_AUTHS }) auth!: BrowserAuth;
  @ApiProperty({ type: SentRequestDto }) request!: SentRequestDto;
  @ApiProperty({ type: ReceivedResponseDto }) response!: ReceivedResponseDto;
  @ApiProperty({ description: 'From sending the request to the end of the answer' })
  durationMs!: number;
}
