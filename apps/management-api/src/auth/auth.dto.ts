import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ModulesDto } from '../workspaces/workspace.dto.js';
import type { ChangePasswordRequest, LoginRequest } from '@loyalty-edge/management-contracts';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin@example.com' }) @IsString() @Length(1, 320) email!: string;
  @ApiProperty({ format: 'password' }) @IsString() @Length(1, 1024) password!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ format: 'password' }) @IsString() @Length(1, 1024) currentPassword!: string;

  @ApiProperty({
    format: 'password',
    description: 'At least 12 characters, not the email address, not a common password',
  })
  @IsString()
  @Length(1, 1024)
  newPassword!: string;
}

export class PasswordChangedDto {
  @ApiProperty({ description: "The account's other sessions, ended" }) otherSessionsEnded!: number;
  @ApiProperty({ description: "The account's personal access tokens, revoked (create new ones)" })
  accessTokensRevoked!: number;
}

export class AdminDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ description: 'Operators manage every workspace' }) operator!: boolean;
}

export class LoginResultDto {
  @ApiProperty({ type: AdminDto }) user!: AdminDto;
  @ApiProperty({ description: 'Send it as X-CSRF-Token on every change made with the cookie' })
  csrfToken!: string;
}

class MyWorkspaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ModulesDto }) modules!: ModulesDto;
  @ApiProperty({ description: 'The revision of `modules`' }) modulesRevision!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ enum: ['operator', 'admin', 'viewer'] }) role!: string;
}

export class MeDto {
  @ApiProperty({ type: AdminDto }) user!: AdminDto;
  @ApiProperty({ type: [MyWorkspaceDto] }) workspaces!: MyWorkspaceDto[];
  @ApiProperty({ nullable: true, type: String, description: 'null with an access token' })
  csrfToken!: string | null;
}
