import type { APIRequestContext } from 'playwright-core';

/**
 * The operator's way to create an account with an initial password (a new email only), through
 * the browser's session: the admin web app itself only invites.
 */
export async function addMemberWithPassword(
  request: APIRequestContext,
  adminWeb: string,
  workspace: string,
  member: { email: string; role: 'admin' | 'viewer'; password: string },
): Promise<void> {
  const me = (await (await request.get(`${adminWeb}/api/me`)).json()) as { csrfToken: string };
  const members = `${adminWeb}/api/workspaces/${workspace}/members`;
  // a change of the members names the revision it was made from
  const etag = (await request.get(members)).headers().etag ?? '';
  const reply = await request.post(members, {
    headers: { 'x-csrf-token': me.csrfToken, 'if-match': etag },
    data: member,
  });
  if (reply.status() !== 201) {
    throw new Error(`adding ${member.email} answered ${reply.status()}: ${await reply.text()}`);
  }
}
