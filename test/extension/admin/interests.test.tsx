// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { navigate, route } from "../../../extension/admin/router";
import { InterestsScreen } from "../../../extension/admin/screens/interests/InterestsScreen";
import {
  addTags,
  audienceFromForm,
  checkInterest,
  EMPTY_AUDIENCE,
  EMPTY_INTEREST,
  issueField,
  progressPercent,
} from "../../../extension/admin/screens/interests/interest-form";
import { runJobsUntilIdle } from "../../../server/lifecycle/job-runner";
import { account, liveTemplate } from "../../helpers/factories";
import { type AdminHarness, createAdminHarness } from "./admin-session";

function Live() {
  return <InterestsScreen route={route.value} />;
}

const $ = <T extends Element = HTMLElement>(root: ParentNode, sel: string) => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`no ${sel}`);
  return el;
};
const button = (root: ParentNode, name: string | RegExp) => {
  const b = [...root.querySelectorAll("button")].find((x) =>
    typeof name === "string"
      ? x.textContent?.trim() === name || x.getAttribute("aria-label") === name
      : name.test(x.textContent ?? ""),
  );
  if (!b) throw new Error(`no button ${name}`);
  return b;
};
const type = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) =>
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
const click = (el: HTMLElement) => act(() => el.click());
const addTag = async (input: HTMLInputElement, value: string) => {
  await type(input, value);
  await act(() => {
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  });
};
const submit = (form: HTMLFormElement) =>
  act(() => {
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  });

describe("solution interest form logic (pure)", () => {
  it("adds tags without blanks or case-insensitive duplicates, and checks fields like the server", () => {
    expect(addTags(["CRM"], "crm, ERP ,, analytics\nERP")).toEqual(["CRM", "ERP", "analytics"]);
    expect(checkInterest(EMPTY_INTEREST)).toEqual([
      { field: "name", key: "required" },
      { field: "roleTemplateId", key: "required" },
    ]);
    expect(checkInterest({ ...EMPTY_INTEREST, name: "x".repeat(201), roleTemplateId: "t", keywords: ["k".repeat(101)] })).toEqual(
      [
        { field: "name", key: "tooLong", max: 200 },
        { field: "keywords", key: "tooLong", max: 100 },
      ],
    );
    expect(issueField("keywords.3", ["name", "keywords"] as const)).toBe("keywords");
    expect(issueField("(body)", ["name"] as const)).toBe("");
  });

  it("builds an audience with only the given criteria and refuses bad amounts", () => {
    expect(audienceFromForm(EMPTY_AUDIENCE)).toEqual({ audience: {}, problems: [] });
    expect(audienceFromForm({ ...EMPTY_AUDIENCE, industries: ["Software"], revenueMin: "1 000 000" }).audience).toEqual({
      industries: ["Software"],
      revenueMin: 1_000_000,
    });
    expect(audienceFromForm({ ...EMPTY_AUDIENCE, revenueMin: "abc", revenueMax: "-1" }).problems).toEqual([
      { field: "revenueMin", key: "notNumber" },
      { field: "revenueMax", key: "negative" },
    ]);
    expect(audienceFromForm({ ...EMPTY_AUDIENCE, revenueMin: "10", revenueMax: "5" }).problems).toEqual([
      { field: "revenueMin", key: "minAboveMax" },
    ]);
    const p = (done: number, total: number, status: "running" | "done" = "running") => ({
      status,
      progress: { done, total } as never,
    });
    expect(progressPercent(p(1, 3))).toBe(33);
    expect(progressPercent(p(0, 0, "done"))).toBe(100);
  });
});

describe("solution interests screen against the real server", () => {
  let h: AdminHarness;
  beforeEach(async () => {
    h = await createAdminHarness();
  });
  afterEach(async () => {
    await h.close();
    navigate("#/interests");
  });

  it("creates an interest with tags and a stage model, edits it, shows validation next to fields, deletes it", async () => {
    const tpl = await liveTemplate(h.ctx);
    const model = await h.ctx.call("POST", "/api/stage-models", {
      name: "Pipeline",
      stages: [
        { name: "Open", kind: "entry" },
        { name: "Won", kind: "success" },
      ],
    });
    expect(model.status).toBe(201);
    navigate("#/interests/new");
    h.mount(<Live />);
    const root = h.root;
    await h.waitFor(() => expect($<HTMLSelectElement>(root, "#si-template").options.length).toBe(2));
    // the only live template is chosen for a new interest
    expect($<HTMLSelectElement>(root, "#si-template").value).toBe(tpl.id);

    // nothing typed: the name is required, next to the field
    await submit($<HTMLFormElement>(root, "form.interest-form"));
    expect($(root, "#si-name-error").textContent).toBe("Required.");
    expect($(root, "#si-name").getAttribute("aria-invalid")).toBe("true");

    await type($<HTMLInputElement>(root, "#si-name"), "Cloud ERP");
    expect(root.querySelector("#si-name-error")).toBeNull();
    await type($<HTMLTextAreaElement>(root, "#si-description"), "ERP in the cloud");
    await type($<HTMLSelectElement>(root, "#si-model"), model.body.id);
    await addTag($<HTMLInputElement>(root, "#si-keywords"), "erp");
    await addTag($<HTMLInputElement>(root, "#si-keywords"), "finance, ERP");
    // typed but not committed: kept when the form is saved
    await type($<HTMLInputElement>(root, "#si-products"), "Ledger Cloud");
    expect([...root.querySelectorAll('ul[aria-label="Intent keywords"] li span')].map((s) => s.textContent)).toEqual([
      "erp",
      "finance",
    ]);
    await submit($<HTMLFormElement>(root, "form.interest-form"));
    await h.waitFor(() => expect(route.value.id).not.toBe("new"));
    const id = route.value.id!;
    const created = await h.ctx.call("GET", `/api/solution-interests/${id}`);
    expect(created.body).toMatchObject({
      name: "Cloud ERP",
      description: "ERP in the cloud",
      roleTemplateId: tpl.id,
      stageModelId: model.body.id,
      keywords: ["erp", "finance"],
      products: ["Ledger Cloud"],
    });
    await h.waitFor(() => expect($(root, "h1").textContent).toBe("Cloud ERP"));

    // a name that exists: the server's 409 is shown next to the name, and what was typed stays
    await h.ctx.call("POST", "/api/solution-interests", { name: "Taken", roleTemplateId: tpl.id });
    await type($<HTMLInputElement>(root, "#si-name"), "Taken");
    await submit($<HTMLFormElement>(root, "form.interest-form"));
    await h.waitFor(() => expect($(root, "#si-name-error").textContent).toContain("already exists"));
    expect($<HTMLInputElement>(root, "#si-name").value).toBe("Taken");

    // a server field issue: the stage model was deleted meanwhile → the message sits next to the stage model
    await type($<HTMLInputElement>(root, "#si-name"), "Cloud ERP 2");
    await h.ctx.call("PUT", `/api/solution-interests/${id}`, { name: "Cloud ERP", roleTemplateId: tpl.id, stageModelId: null });
    expect((await h.ctx.call("DELETE", `/api/stage-models/${model.body.id}`)).status).toBe(204);
    await submit($<HTMLFormElement>(root, "form.interest-form"));
    await h.waitFor(() => expect($(root, "#si-stageModelId-error").textContent).toBe("does not exist"));
    expect($(root, "[role=alert]").textContent).toContain("Fix the fields");

    await type($<HTMLSelectElement>(root, "#si-model"), "");
    await click(button(root, "Remove erp"));
    await submit($<HTMLFormElement>(root, "form.interest-form"));
    await h.waitFor(() => expect(root.textContent).toContain("Saved."));
    expect((await h.ctx.call("GET", `/api/solution-interests/${id}`)).body).toMatchObject({
      name: "Cloud ERP 2",
      stageModelId: null,
      keywords: ["finance"],
    });

    // delete: refused while a group uses it (the server's reason shown), then done once it has none
    const acc = await account(h.ctx);
    const group = await h.ctx.call("POST", "/api/groups", { accountId: acc.id, solutionInterestId: id });
    expect(group.status).toBe(201);
    await click(button(root, "Delete solution interest"));
    await click(button(root, "Yes, delete"));
    await h.waitFor(() =>
      expect($(root, ".danger-zone [role=alert]").textContent).toContain(
        "It has buying groups now (1). To delete it, delete them with it (admins) below.",
      ),
    );
    expect((await h.ctx.call("GET", `/api/solution-interests/${id}`)).status).toBe(200);
    // Deleting with its groups asks for the interest's name first.
    await click(button(root, "Delete with its buying groups (1)"));
    const confirm = button(root, "Delete it and its buying groups (1)");
    expect(confirm.disabled).toBe(true);
    await click(button(root, "Keep it"));
    // the refusal sits next to the delete button until the next try; an interest without groups goes at once
    const taken = (await h.ctx.call("GET", "/api/solution-interests")).body.items.find(
      (x: { name: string }) => x.name === "Taken",
    );
    await act(() => navigate(`#/interests/${taken.id}`));
    await h.waitFor(() => expect($(root, "h1").textContent).toBe("Taken"));
    await click(button(root, "Delete solution interest"));
    expect(root.textContent).toContain("Delete “Taken” for good?");
    await click(button(root, "Yes, delete"));
    await h.waitFor(() => expect(route.value.id).toBeNull());
    expect((await h.ctx.call("GET", `/api/solution-interests/${taken.id}`)).status).toBe(404);
    await h.waitFor(() => expect($(root, "table").textContent).toContain("Cloud ERP 2"));
    expect($(root, "table").textContent).not.toContain("Taken");
    expect($(root, "table").textContent).toContain("Groups: 1");
  });

  it("counts the audience live, starts a creation job, shows progress to done; cancels and deletes jobs", async () => {
    const tpl = await liveTemplate(h.ctx);
    const si = (await h.ctx.call("POST", "/api/solution-interests", { name: "Audience", roleTemplateId: tpl.id })).body;
    await account(h.ctx, { industry: "Software", country: "NL", annualRevenue: 2_000_000 });
    await account(h.ctx, { industry: "Software", country: "SE", annualRevenue: 200_000 });
    await account(h.ctx, { industry: "Retail", country: "NL", annualRevenue: 9_000_000 });
    navigate(`#/interests/${si.id}`);
    h.mount(<Live />);
    const root = h.root;
    await h.waitFor(() => expect(root.textContent).toContain("No jobs yet."));
    await click(button(root, "New creation job…"));
    const count = () => $(root, ".audience-count").textContent;
    await h.waitFor(() => expect(count()).toBe("Matching accounts: 3"));
    await addTag($<HTMLInputElement>(root, "#aud-industries"), "software");
    await h.waitFor(() => expect(count()).toBe("Matching accounts: 2"));
    await type($<HTMLInputElement>(root, "#aud-revenueMin"), "abc");
    expect($(root, "#aud-revenueMin-error").textContent).toBe("Enter a number, e.g. 1000000.");
    expect(button(root, /Start creation job/).disabled).toBe(true);
    await type($<HTMLInputElement>(root, "#aud-revenueMin"), "1000000");
    await h.waitFor(() => expect(count()).toBe("Matching accounts: 1"));
    await type($<HTMLInputElement>(root, "#aud-revenueMin"), "");
    await h.waitFor(() => expect(count()).toBe("Matching accounts: 2"));
    const shown = Number(count()?.replace(/\D/g, ""));

    await click(button(root, "Start creation job for 2 accounts"));
    await h.waitFor(() => expect(root.querySelector("[data-job-id]")).not.toBeNull());
    const job = $(root, "[data-job-id]");
    expect(job.dataset.status).toBe("queued");
    expect($(job, ".job-progress-text").textContent).toBe("0 of 2 accounts");
    expect($(job, ".job-progress-text").getAttribute("aria-live")).toBe("polite");
    expect(button(job, "Cancel job")).toBeTruthy();
    // the runner (in the server) does the work; the screen polls until the job is done
    await runJobsUntilIdle(h.ctx.deps, { batchSize: 1 });
    await h.waitFor(() => expect($(root, "[data-job-id]").dataset.status).toBe("done"), 5000);
    const done = $(root, "[data-job-id]");
    expect($(done, ".job-progress-text").textContent).toBe("2 of 2 accounts");
    expect($<HTMLProgressElement>(done, "progress").value).toBe(100);
    expect(done.textContent).toContain("Groups created: 2");
    await h.waitFor(() => expect(root.querySelector(".interest-side")?.textContent).toContain("Show in Browse (2)"));
    // the count shown before the job equals the groups it created for these fresh accounts
    const groups = await h.ctx.call("GET", `/api/groups?solutionInterestId=${si.id}`);
    expect(groups.body.total).toBe(shown);

    // a second job: cancelled while queued; a finished job's record can be deleted
    await click(button(root, "Start maintenance job"));
    await h.waitFor(() => expect(root.querySelectorAll("[data-job-id]").length).toBe(2));
    const queued = root.querySelector<HTMLElement>("[data-job-id][data-status=queued]")!;
    expect(queued.textContent).toContain("Maintenance job");
    expect(queued.textContent).toContain("0 of 2 groups");
    await click(button(queued, "Cancel job"));
    await h.waitFor(() => expect(root.querySelector("[data-status=cancelled]")).not.toBeNull());
    const cancelled = $(root, "[data-status=cancelled]");
    const cancelledId = cancelled.dataset.jobId!;
    expect(cancelled.textContent).not.toContain("Cancel job");
    await click(button(cancelled, "Delete job record"));
    await h.waitFor(() => expect(root.querySelectorAll("[data-job-id]").length).toBe(1));
    expect((await h.ctx.call("GET", `/api/jobs/${cancelledId}`)).status).toBe(404);
  });

  it("shows a failed job with the server's reason", async () => {
    const tpl = await liveTemplate(h.ctx);
    const si = (await h.ctx.call("POST", "/api/solution-interests", { name: "Doomed", roleTemplateId: tpl.id })).body;
    await account(h.ctx);
    const job = await h.ctx.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "creation", audience: {} });
    await h.ctx.deps.db
      .updateTable("lifecycle_jobs")
      .set({
        status: "failed",
        errors: JSON.stringify([{ at: "2026-11-23T12:00:00.000Z", entityId: null, message: "Disk full." }]),
      })
      .where("id", "=", job.body.id)
      .execute();
    navigate(`#/interests/${si.id}`);
    h.mount(<Live />);
    await h.waitFor(() => expect(h.root.querySelector("[data-status=failed]")).not.toBeNull());
    expect($(h.root, "[data-status=failed] [role=alert]").textContent).toBe("The job failed: Disk full.");

    // a job that finished after the list was read: the server refuses the cancel and its reason is shown
    const other = await h.ctx.call("POST", `/api/solution-interests/${si.id}/jobs`, { kind: "maintenance" });
    h.mount(null);
    h.mount(<Live />);
    await h.waitFor(() => expect(h.root.querySelector(`[data-job-id="${other.body.id}"]`)).not.toBeNull());
    await h.ctx.deps.db.updateTable("lifecycle_jobs").set({ status: "done" }).where("id", "=", other.body.id).execute();
    await click(button($(h.root, `[data-job-id="${other.body.id}"]`), "Cancel job"));
    await h.waitFor(() =>
      expect($(h.root, `[data-job-id="${other.body.id}"] [role=alert]`).textContent).toContain(
        "is already done; only a queued or running job can be cancelled",
      ),
    );
  });
});
