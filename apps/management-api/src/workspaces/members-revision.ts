import type { EntityManager } from 'typeorm';
import { WorkspaceEntity } from './workspace.entity.js';

/**
 * Raises the workspace's members revision, only if it is `expected` (compare-and-set; `null`:
 * whatever it is, for changes nobody read first, such as an accepted invitation). Run first in
 * the change's transaction: the row lock it takes makes the members changes of one workspace
 * apply one after the other. The new revision, or undefined when `expected` was stale.
 */
export async function raiseMembersRevision(
  manager: EntityManager,
  workspaceId: string,
  expected: number | null,
): Promise<number | undefined> {
  const update = manager
    .createQueryBuilder()
    .update(WorkspaceEntity)
    .set({ membersRevision: () => 'members_revision + 1' })
    .where('id = :workspaceId', { workspaceId });
  if (expected !== null) update.andWhere('members_revision = :expected', { expected });
  const result = await update.returning('members_revision').execute();
  const row = (result.raw as { members_revision?: number }[])[0];
  return row?.members_revision;
}
