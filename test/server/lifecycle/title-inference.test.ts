import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE } from "../../../server/seed/demo-config";
import { account, person } from "../../helpers/factories";
import { createTestContext, type TestContext } from "../../helpers/test-app";

/**
 * The server's role rules (template preview, creation and maintenance jobs) infer seniority and department from the
 * job title when a person has neither, like the CRM page's one-click assign: the default template pre-chooses roles
 * for people known by their title only, in every UI language; an explicit seniority or department wins.
 */
describe("role rules on people known by their job title only (default template)", () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await createTestContext();
  });
  afterEach(() => t.close());

  it("previews the role each title says, and keeps explicit fields first", async () => {
    const draft = await t.call("POST", "/api/role-templates", DEFAULT_TEMPLATE);
    expect(draft.status).toBe(201);
    const acc = await account(t);
    const people = {
      ceo: await person(t, acc.id, "Erik", { jobTitle: "VD" }),
      buyer: await person(t, acc.id, "Karin", { jobTitle: "Inköpschef" }),
      cfo: await person(t, acc.id, "Claire", { jobTitle: "Directeur financier" }),
      it: await person(t, acc.id, "Sanne", { jobTitle: "Hoofd IT" }),
      dev: await person(t, acc.id, "Anna", { jobTitle: "Softwareentwicklerin" }),
      unknown: await person(t, acc.id, "Art", { jobTitle: "Importer/Exporter" }),
      // the CRM says this "Head of IT" is a VP: the explicit seniority wins over the title
      explicit: await person(t, acc.id, "Vera", { jobTitle: "Head of IT", seniority: "VP" }),
    };
    const res = await t.call("POST", `/api/role-templates/${draft.body.id}/preview`, { accountId: acc.id });
    expect(res.status).toBe(200);
    const role = (id: string) => res.body.people.find((p: any) => p.personId === id)?.roleKey ?? null;
    expect(Object.fromEntries(Object.entries(people).map(([k, p]) => [k, role(p.id)]))).toEqual({
      ceo: "decision-maker",
      buyer: "economic-buyer",
      cfo: "economic-buyer",
      it: "influencer",
      dev: "practitioner",
      unknown: null,
      explicit: "decision-maker",
    });
  });
});
