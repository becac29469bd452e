import { ApiProperty } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import {
  MEMBER_ROLES,
  MODULE_KEYS,
  WORKSPACE_ID,
  type ModuleKey,
  type MemberRole,
  type MemberStatus,
  type WorkspaceRole,
  type ModuleSwitchRequest,
  type CreateWorkspaceRequest,
  type AddMemberRequest,
  type SetMemberRoleRequest,
} from '@loyalty-edge/management-contracts';

const MEMBER_STATUSES: readonly MemberStatus[] = ['active', 'invited'];

const WORKSPACE_ID_RULE = 'lowercase letters, digits and dashes, 3 to 40 characters';

export class WorkspaceParams {
  @ApiProperty({ description: 'Workspace id', example: 'acme-loyalty' })
  @Matches(WORKSPACE_ID, { message: `ws must be ${WORKSPACE_ID_RULE}` })
  ws!: string;
}

export class MemberParams extends WorkspaceParams {
  @ApiProperty({
    format: 'uuid',
    description: "A member's `id` from the list: the admin id, or the invitation id while invited",
  })
  @IsUUID()
  memberId!: string;
}

export class ModuleParams extends WorkspaceParams {
  @ApiProperty({ enum: MODULE_KEYS, description: 'The module to switch' })
  @IsIn(MODULE_KEYS)
  module!: ModuleKey;
}

export class ModuleSwitchDto implements ModuleSwitchRequest {
  @ApiProperty({ description: 'On or off' }) @IsBoolean() enabled!: boolean;
}

export class ModulesDto {
  @ApiProperty({ description: 'IP filter module' }) @IsBoolean() ipFilter!: boolean;
  @ApiProperty({ description: 'API signature check module' }) @IsBoolean() signatureCheck!: boolean;
  @ApiProperty({ description: 'Async Events API module' }) @IsBoolean() asyncEvents!: boolean;
}

export class WorkspaceRateLimitDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Per API key and auth client; 0: none' })
  requestsPerMinute!: number;
}

export class CreateWorkspaceDto implements CreateWorkspaceRequest {
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
  @ApiProperty({
    description: 'The revision of `modules`, also the `ETag`: a switch sends it as If-Match',
  })
  modulesRevision!: number;

  @ApiProperty({
    required: false,
    type: WorkspaceRateLimitDto,
    description: "Set by an operator (PUT …/rate-limit); absent: the gateways' default",
  })
  rateLimit?: WorkspaceRateLimitDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ enum: ['operator', 'admin', 'viewer'], description: "The caller's role" })
  role!: WorkspaceRole;
}

export class AddMemberDto implements AddMemberRequest {
  @ApiProperty({ example: 'jane@example.com' }) @IsEmail() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES) role!: MemberRole;

  @ApiProperty({
    required: false,
    description:
      'Operators only, and only for an email without an account: its initial password (12+ characters, not the email, not common); the member is then active at once. Refused (400, code 300415) from workspace admins and for existing accounts.',
  })
  @ValidateIf((body: { password?: unknown }) => body.password !== undefined)
  @IsString()
  @Length(1, 1024)
  password?: string;
}

export class SetMemberRoleDto implements SetMemberRoleRequest {
  @ApiProperty({ enum: MEMBER_ROLES }) @IsIn(MEMBER_ROLES) role!: MemberRole;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid', description: 'The admin id, or the invitation id while invited' })
  id!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description:
      'null while invited (the list never tells whether an invited email has an account)',
  })
  adminId!: string | null;

  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role!: MemberRole;
  @ApiProperty({ enum: MEMBER_STATUSES }) status!: MemberStatus;
  @ApiProperty({ format: 'date-time', description: 'Added, or invited' }) addedAt!: string;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'When the invitation link stops working; null for an active member',
  })
  expiresAt!: string | null;
}

export class InvitationLinkDto {
  @ApiProperty({ description: 'The one-time link to the invitation page; shown once' })
  url!: string;

  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class AddedMemberDto {
  @ApiProperty({ type: MemberDto }) member!: MemberDto;

  @ApiProperty({
    type: InvitationLinkDto,
    nullable: true,
    description: 'null when an operator created the account with an initial password',
  })
  invitation!: InvitationLinkDto | null;
}
