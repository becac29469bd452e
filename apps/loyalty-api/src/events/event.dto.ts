import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { BULK_MAX_EVENTS, type EventRequest } from '@loyalty-edge/loyalty-contracts';

/** No control characters in ids. */
const PRINTABLE = /^[^\p{Cc}]+$/u;

/**
 * The envelope of an event; `data` is checked per action by the event rules, so a bad field
 * there is reported as `data.<field>` with code invalidEvent.
 */
export class EventDto implements EventRequest {
  @IsString()
  @Length(1, 200)
  @Matches(PRINTABLE, { message: 'customer must be printable' })
  customer!: string;

  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'action must be an action name like point_add' })
  action!: string;

  @IsOptional() @IsObject() data?: Record<string, unknown>;

  @IsOptional() @IsString() @Length(1, 200) external_id?: string;

  @IsOptional() @IsString() @Length(1, 100) account?: string;
}

export class BulkEventsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX_EVENTS)
  @ValidateNested({ each: true })
  @Type(() => EventDto)
  events!: EventDto[];
}
