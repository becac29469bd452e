import { CreateKvOutbox1736000000000 } from '@loyalty-edge/outbox';
import { CreateAdmins1734100000000 } from './1734100000000-create-admins.js';
import { CreateWorkspaces1734100000001 } from './1734100000001-create-workspaces.js';
import { CreateInvitations1734100000002 } from './1734100000002-create-invitations.js';
import { AddWorkspaceRateLimit1734100000010 } from './1734100000010-add-workspace-rate-limit.js';
import { AddWorkspaceRevisions1734100000020 } from './1734100000020-add-workspace-revisions.js';

export const migrations = [
  CreateAdmins1734100000000,
  CreateWorkspaces1734100000001,
  CreateInvitations1734100000002,
  AddWorkspaceRateLimit1734100000010,
  AddWorkspaceRevisions1734100000020,
  CreateKvOutbox1736000000000,
];
