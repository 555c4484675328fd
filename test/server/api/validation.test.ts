import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

// Every invalid payload is a 400 `validation_failed` whose details name the offending field.
let t: TestContext;
let accountId: string;

beforeAll(async () => {
  t = await createTestContext();
  accountId = (await account(t)).id;
});
afterAll(() => t.close());

const ROLE = { key: "decision-maker", name: "Decision maker", weighting: "vital" };

describe("invalid payloads name the field", () => {
  it.each<[string, string, string, string, () => unknown]>([
    ["an account without a name", "name", "POST", "/api/accounts", () => ({ domain: "acme.com" })],
    ["an account with an empty name", "name", "POST", "/api/accounts", () => ({ name: "   " })],
    ["an account with a bad domain", "domain", "POST", "/api/accounts", () => ({ name: "Acme", domain: "not a domain" })],
    [
      "a person with a bad email",
      "email",
      "POST",
      "/api/people",
      () => ({ accountId, firstName: "Anna", email: "anna-at-acme" }),
    ],
    ["a person without a first name", "firstName", "POST", "/api/people", () => ({ accountId, lastName: "Smith" })],
    [
      "a template with weighting 'huge'",
      "roles.0.weighting",
      "POST",
      "/api/role-templates",
      () => ({ name: "T", roles: [{ ...ROLE, weighting: "huge" }] }),
    ],
    [
      "a template whose second role has membersRequired 0",
      "roles.1.membersRequired",
      "POST",
      "/api/role-templates",
      () => ({ name: "T", roles: [ROLE, { key: "champion", name: "Champion", weighting: "minor", membersRequired: 0 }] }),
    ],
    ["a template without roles", "roles", "POST", "/api/role-templates", () => ({ name: "T", roles: [] })],
    [
      "a template with a role key used twice",
      "roles.1.key",
      "POST",
      "/api/role-templates",
      () => ({ name: "T", roles: [ROLE, ROLE] }),
    ],
    ["a group without a solution interest", "solutionInterestId", "POST", "/api/groups", () => ({ accountId })],
    ["an activity batch that is empty", "activities", "POST", "/api/activities", () => ({ activities: [] })],
    [
      "an activity type with dailyCap 0",
      "dailyCap",
      "POST",
      "/api/activity-types",
      () => ({ name: "Custom thing", dailyCap: 0 }),
    ],
  ])("%s → 400 naming %s", async (_label, field, method, path, body) => {
    const res = await t.call(method, path, body());
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    expect(res.body.error.message).toContain(field);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    ["limit=abc", "limit"],
    ["offset=-1", "offset"],
    ["sort=random", "sort"],
    ["completenessMin=101", "completenessMin"],
  ])("the group list with %s → 400 naming %s", async (query, field) => {
    const res = await t.call("GET", `/api/groups?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field })]);
  });

  it("nothing is created by an invalid request", async () => {
    const before = await t.call("GET", "/api/accounts?limit=200");
    await t.call("POST", "/api/accounts", { name: "Half-valid", domain: "not a domain" });
    const after = await t.call("GET", "/api/accounts?limit=200");
    expect(after.body.total).toBe(before.body.total);
  });
});

describe("a body that is not JSON", () => {
  it.each([
    ["truncated JSON", '{"name": "Acme"'],
    ["plain text", "name=Acme"],
  ])("%s → 400 validation_failed with a message about JSON", async (_label, raw) => {
    const res = await t.call("POST", "/api/accounts", raw);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it("carries details.issues like every other 400, naming the body", async () => {
    const res = await t.call("POST", "/api/accounts", "{not json");
    expect(res.status).toBe(400);
    expect(res.body.error.details?.issues).toEqual([expect.objectContaining({ field: "(body)" })]);
  });

  it("a JSON array instead of an object → 400 naming the body", async () => {
    const res = await t.call("POST", "/api/accounts", []);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ field: "(body)" })]);
  });
});
