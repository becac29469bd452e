import type { WorkspaceRole } from '@loyalty-edge/management-contracts';

// What the UI offers per role; the management API enforces it again on every call.

/** Admins and operators change a workspace; viewers only read it. */
export function canAdminister(role: WorkspaceRole): boolean {
  return role === 'admin' || role === 'operator';
}

/** Modules are switched by operators only. */
export function canSwitchModules(role: WorkspaceRole): boolean {
  return role === 'operator';
}
