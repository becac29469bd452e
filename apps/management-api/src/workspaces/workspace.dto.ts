import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import {
  MEMBER_ROLES,
  WORKSPACE_ID,
  type MemberRole,
  type WorkspaceRole,
} from '@loyalty-edge/management-contracts';

const WORKSPACE_ID_RULE = 'lowercase letters, digits and dashes, 3 to 40 characters';

export class WorkspaceParams {
  @ApiProperty({ description: 'Workspace id', example: 'acme-loyalty' })
  @Matches(WORKSPACE_ID, { message: `ws must be ${WORKSPACE_ID_RULE}` })
  ws!: string;
}

export class MemberParams extends WorkspaceParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() adminId!: string;
}

export class ModulesDto {
  @ApiProperty({ description: 'IP filter module' }) @IsBoolean() ipFilter!: boolean;
  @ApiProperty({ description: 'API signature check module' }) @IsBoolean() signatureCheck!: boolean;
  @ApiProperty({ description: 'Async Events API module' }) @IsBoolean() asyncEvents!: boolean;
}

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'acme-loyalty', pattern: WORKSPACE_ID.source })
  @Matches(WORKSPACE_ID, { message: `id must be ${WORKSPACE_ID_RULE}` })
  id!: string;

  @ApiProperty({ example: 'ACME Loyalty', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name!: string;
}

export class WorkspaceDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: ModulesDto }) modules!: ModulesDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ enum: ['operator', 'admin', 'viewer'], description: "The caller's role" })
  role!: WorkspaceRole;
}

export class AddMemberDto {
  @ApiProperty({ example: 'jane@example.com' }) @IsEmail() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES) role!: MemberRole;

  @ApiProperty({
    required: false,
    description:
      'Initial password when the account is new (12+ characters, not the email, not common); ignored for an existing account',
  })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  password?: string;
}

export class SetMemberRoleDto {
  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES) role!: MemberRole;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) adminId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: MemberRole;
  @ApiProperty({ format: 'date-time' }) addedAt!: string;
}
