import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, ValidateIf } from 'class-validator';
import {
  MEMBER_ROLES,
  type MemberRole,
  type AcceptInvitationRequest,
} from '@loyalty-edge/management-contracts';

export class InvitationParams {
  @ApiProperty({ description: 'The token of the invitation link' })
  @IsString()
  @Length(1, 128)
  token!: string;
}

export class AcceptInvitationDto implements AcceptInvitationRequest {
  @ApiProperty({
    required: false,
    format: 'password',
    description:
      'Only for an email without an account: the password of the new account (12+ characters, not the email, not common). An existing account accepts signed in as itself, without one.',
  })
  @ValidateIf((body: { password?: unknown }) => body.password !== undefined)
  @IsString()
  @Length(1, 1024)
  password?: string;
}

class InvitedWorkspaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class InvitationDto {
  @ApiProperty({ type: InvitedWorkspaceDto }) workspace!: InvitedWorkspaceDto;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: MemberRole;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;

  @ApiProperty({
    description:
      'true: no account has this email, and accepting sets its password; false: log in as that account to accept',
  })
  needsPassword!: boolean;
}

export class AcceptedInvitationDto {
  @ApiProperty({ type: InvitedWorkspaceDto }) workspace!: InvitedWorkspaceDto;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: MemberRole;
  @ApiProperty({ description: 'Whether accepting created the account' }) accountCreated!: boolean;
}
