import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ACTOR_TYPES, type Actor, type ActorType } from '@loyalty-edge/contracts';

/** The one validator of an `Actor` in a request or an event. */
export class ActorDto implements Actor {
  @IsIn(ACTOR_TYPES) type!: ActorType;
  @IsString() @Length(1, 200) id!: string;
  @IsOptional() @IsEmail() @MaxLength(320) email?: string;
}

/** `@ActorField() actor!: ActorDto;` validates a nested actor. */
export function ActorField(): PropertyDecorator {
  return (target, key) => {
    ValidateNested()(target, key);
    Type(() => ActorDto)(target, key);
  };
}
