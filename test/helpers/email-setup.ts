import { groupSetup, person } from "./factories";
import type { TestContext } from "./test-app";

let seq = 0;

export const GREETING_EMAIL = {
  name: "Intro",
  subject: "{{person.firstName}}, about {{group.solutionInterest}}",
  htmlBody:
    '<p>Hi {{person.firstName | "there"}},</p><p>{{account.name}} and {{person.jobTitle | "your team"}}.</p><p>{{sender.name}}</p>',
  textBody: 'Hi {{person.firstName | "there"}},\n{{account.name}} and {{person.jobTitle | "your team"}}.\n{{sender.name}}',
};

/** A workspace with an approved email (or a draft) through the API. */
export async function approvedEmail(t: TestContext, fields: Partial<typeof GREETING_EMAIL> = {}, approve = true) {
  seq++;
  const ws = await t.call("POST", "/api/workspaces", { name: `Workspace ${seq}` });
  if (ws.status !== 201) throw new Error(`workspace: ${JSON.stringify(ws.body)}`);
  const email = await t.call("POST", "/api/emails", { workspaceId: ws.body.id, ...GREETING_EMAIL, ...fields });
  if (email.status !== 201) throw new Error(`email: ${JSON.stringify(email.body)}`);
  if (!approve) return email.body as { id: string; workspaceId: string };
  const ok = await t.call("POST", `/api/emails/${email.body.id}/approve`);
  if (ok.status !== 200) throw new Error(`approve: ${JSON.stringify(ok.body)}`);
  return ok.body as { id: string; workspaceId: string };
}

/** A group with `n` members named Member0…, each with an email address (override per index with `fields`). */
export async function groupWithMembers(
  t: TestContext,
  n: number,
  fields: (i: number) => Record<string, unknown> = () => ({}),
): Promise<{ groupId: string; accountName: string; solutionInterest: string; people: Array<{ id: string; email: string }> }> {
  const setup = await groupSetup(t);
  const people = [];
  for (let i = 0; i < n; i++) people.push(await person(t, setup.account.id, `Member${i}`, fields(i)));
  for (let i = 0; i < people.length; i += 50) {
    const members = people.slice(i, i + 50).map((p) => ({ personId: p.id, roleKey: "influencer" }));
    const res = await t.call("POST", `/api/groups/${setup.group.id}/members`, { members });
    if (res.status !== 200 || res.body.applied.length !== members.length) throw new Error(`members: ${JSON.stringify(res.body)}`);
  }
  return { groupId: setup.group.id, accountName: setup.account.name, solutionInterest: setup.solutionInterest.name, people };
}

export async function outboxRows(t: TestContext) {
  return t.deps.db.selectFrom("email_outbox").selectAll().orderBy("created_at").orderBy("id").execute();
}
