import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FieldProblemDto {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be an email' }) message!: string;
}

class ErrorDetailsDto {
  @ApiPropertyOptional({ type: [FieldProblemDto], description: 'Every bad field' })
  fields?: FieldProblemDto[];
}

class ErrorBodyDto {
  @ApiProperty({ example: 'BadRequestException' }) type!: string;
  @ApiProperty({ example: 100400 }) code!: number;
  @ApiProperty({ example: 'Validation failed' }) message!: string;
  @ApiPropertyOptional({ type: ErrorDetailsDto }) details?: ErrorDetailsDto;
}

/** `{"error":{"type","code","message","details?"}}`, for every error of the management API. */
export class ErrorEnvelopeDto {
  @ApiProperty({ type: ErrorBodyDto }) error!: ErrorBodyDto;
}
