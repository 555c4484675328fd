import type { TestContext } from "./test-app";

/** The seeds' three-role template: Decision maker (Vital), Influencer (Important), Practitioner (Normal). */
export const SEED_ROLES = [
  { key: "decision-maker", name: "Decision maker", weighting: "vital", decisionMaker: true },
  { key: "influencer", name: "Influencer", weighting: "important" },
  { key: "practitioner", name: "Practitioner", weighting: "normal" },
] as const;

export async function liveTemplate(
  t: TestContext,
  roles: readonly Record<string, unknown>[] = SEED_ROLES,
  name = "Test template",
) {
  const created = await t.call("POST", "/api/role-templates", { name, roles });
  if (created.status !== 201) throw new Error(`template: ${JSON.stringify(created.body)}`);
  const live = await t.call("POST", `/api/role-templates/${created.body.id}/publish`);
  if (live.status !== 200) throw new Error(`publish: ${JSON.stringify(live.body)}`);
  return live.body as { id: string; roles: Array<{ key: string }> };
}

let seq = 0;
export async function account(t: TestContext, fields: Record<string, unknown> = {}) {
  seq++;
  const res = await t.call("POST", "/api/accounts", { name: `Account ${seq}`, domain: `account${seq}.example.com`, ...fields });
  if (res.status !== 201) throw new Error(`account: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}

export async function person(t: TestContext, accountId: string, firstName: string, fields: Record<string, unknown> = {}) {
  seq++;
  const res = await t.call("POST", "/api/people", {
    accountId,
    firstName,
    lastName: "Tester",
    email: `${firstName.toLowerCase()}.${seq}@example.com`,
    ...fields,
  });
  if (res.status !== 201) throw new Error(`person: ${JSON.stringify(res.body)}`);
  return res.body.person as { id: string; name: string; email: string };
}

/** A live template, a solution interest on it, an account and its buying group. */
export async function groupSetup(t: TestContext, roles: readonly Record<string, unknown>[] = SEED_ROLES) {
  const template = await liveTemplate(t, roles);
  seq++;
  const si = await t.call("POST", "/api/solution-interests", { name: `Interest ${seq}`, roleTemplateId: template.id });
  if (si.status !== 201) throw new Error(`solution interest: ${JSON.stringify(si.body)}`);
  const acc = await account(t);
  const group = await t.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: si.body.id });
  if (group.status !== 201) throw new Error(`group: ${JSON.stringify(group.body)}`);
  return {
    template,
    solutionInterest: si.body as { id: string; name: string },
    account: acc,
    group: group.body as { id: string; name: string },
  };
}

/** `count` activities of `type` by a person at `at`, with unique external ids. */
export function activities(personId: string, type: string, count: number, at: Date, prefix = "act") {
  seq++;
  return Array.from({ length: count }, (_, i) => ({
    externalId: `${prefix}-${seq}-${i}`,
    personId,
    type,
    occurredAt: new Date(at.getTime() - i * 1000).toISOString(),
  }));
}
