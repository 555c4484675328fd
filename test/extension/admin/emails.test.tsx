// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { navigate, route } from "../../../extension/admin/router";
import { EmailsScreen } from "../../../extension/admin/screens/emails/EmailsScreen";
import {
  checkEmail,
  EMPTY_EMAIL,
  emailChanges,
  issuesByField,
  losesApproval,
} from "../../../extension/admin/screens/emails/email-form";
import { groupSetup, person } from "../../helpers/factories";
import { type AdminHarness, createAdminHarness } from "./admin-session";

function Live() {
  return <EmailsScreen route={route.value} />;
}

const $ = <T extends Element = HTMLElement>(root: ParentNode, sel: string) => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`no ${sel}`);
  return el;
};
const button = (root: ParentNode, name: string) => {
  const b = [...root.querySelectorAll("button")].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button ${name}`);
  return b;
};
const type = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string) =>
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
const click = (el: HTMLElement) => act(() => el.click());
const submit = (form: HTMLFormElement) =>
  act(() => {
    form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
  });

describe("email form logic (pure)", () => {
  it("sends only changed fields and knows which changes take the approval away", () => {
    const saved = { name: "A", subject: "S", htmlBody: "<p>H</p>", textBody: "T" };
    expect(emailChanges(saved, saved)).toEqual({});
    expect(emailChanges(saved, { ...saved, name: "B", textBody: "U" })).toEqual({ name: "B", textBody: "U" });
    expect(losesApproval("approved", { name: "B" })).toBe(false);
    expect(losesApproval("approved", { subject: "X" })).toBe(true);
    expect(losesApproval("draft", { subject: "X" })).toBe(false);
    expect(checkEmail({ ...EMPTY_EMAIL, name: " ", subject: "s".repeat(301) })).toEqual([
      { field: "name", key: "required" },
      { field: "subject", key: "tooLong", max: 300 },
      { field: "htmlBody", key: "required" },
      { field: "textBody", key: "required" },
    ]);
    expect(
      issuesByField([
        { field: "subject", message: "a" },
        { field: "subject", message: "b" },
        { field: "x", message: "c" },
      ]),
    ).toEqual({
      subject: "a; b",
    });
  });
});

describe("emails screen against the real server", () => {
  let h: AdminHarness;
  beforeEach(async () => {
    h = await createAdminHarness();
  });
  afterEach(async () => {
    await h.close();
    navigate("#/emails");
  });

  it("creates a workspace and an email, refuses a duplicate workspace with the server's reason", async () => {
    await h.ctx.call("POST", "/api/workspaces", { name: "Existing" });
    navigate("#/emails");
    h.mount(<Live />);
    const root = h.root;
    await h.waitFor(() => expect(root.querySelector(".ws-list")?.textContent).toContain("Existing"));
    await type($<HTMLInputElement>(root, "#ws-name"), "Existing");
    await submit($<HTMLFormElement>(root, "form.ws-new"));
    await h.waitFor(() => expect($(root, "#ws-name-error").textContent).toContain("already exists"));
    expect($<HTMLInputElement>(root, "#ws-name").value).toBe("Existing");
    await type($<HTMLInputElement>(root, "#ws-name"), "Campaigns");
    await submit($<HTMLFormElement>(root, "form.ws-new"));
    await h.waitFor(() => expect(root.querySelector("[aria-current=true]")?.textContent).toContain("Campaigns"));
    expect(route.value.query.get("workspace")).toMatch(/.+/);
    await h.waitFor(() => expect(root.textContent).toContain("No emails in this workspace yet."));

    await click(button(root, "New email"));
    await submit($<HTMLFormElement>(root, "form.email-new"));
    expect($(root, "#new-email-name-error").textContent).toBe("Required.");
    await type($<HTMLInputElement>(root, "#new-email-name"), "Welcome");
    await type($<HTMLInputElement>(root, "#new-email-subject"), "Hi {{person.nickname}}");
    await type($<HTMLTextAreaElement>(root, "#new-email-htmlBody"), "<p>Hello</p>");
    await type($<HTMLTextAreaElement>(root, "#new-email-textBody"), "Hello");
    await submit($<HTMLFormElement>(root, "form.email-new"));
    // the server's token check, next to the subject
    await h.waitFor(() => expect($(root, "#new-email-subject-error").textContent).toContain("unknown token {{person.nickname}}"));
    await type($<HTMLInputElement>(root, "#new-email-subject"), "Hi {{person.firstName}}");
    await submit($<HTMLFormElement>(root, "form.email-new"));
    await h.waitFor(() => expect(route.value.id).toMatch(/.+/));
    const email = await h.ctx.call("GET", `/api/emails/${route.value.id}`);
    expect(email.body).toMatchObject({ name: "Welcome", subject: "Hi {{person.firstName}}", status: "draft" });
  });

  it("edits an email, previews it for a group member, approves it; a content edit returns it to draft", async () => {
    const { group, account } = await groupSetup(h.ctx);
    const ada = await person(h.ctx, account.id, "Ada", { jobTitle: "CFO" });
    const added = await h.ctx.call("POST", `/api/groups/${group.id}/members`, {
      members: [{ personId: ada.id, roleKey: "decision-maker" }],
    });
    expect(added.status).toBeLessThan(300);
    const ws = await h.ctx.call("POST", "/api/workspaces", { name: "Outreach" });
    const email = await h.ctx.call("POST", "/api/emails", {
      workspaceId: ws.body.id,
      name: "Intro",
      subject: "Hello",
      htmlBody: "<p>Hi</p>",
      textBody: "Hi",
    });
    navigate(`#/emails?workspace=${ws.body.id}`);
    h.mount(<Live />);
    const root = h.root;
    await h.waitFor(() => expect($(root, `[data-email-id="${email.body.id}"]`).textContent).toContain("Draft"));
    await click($(root, `[data-email-id="${email.body.id}"] a`));
    await h.waitFor(() => expect($(root, "h1").textContent).toBe("Intro"));
    expect($(root, ".email-status").dataset.status).toBe("draft");

    // edit the subject and the text body
    await type($<HTMLInputElement>(root, "#email-subject"), "{{person.firstName}}, an idea for {{account.name}}");
    await type(
      $<HTMLTextAreaElement>(root, "#email-textBody"),
      'Dear {{person.firstName | "there"}} ({{person.jobTitle}}),\nregards',
    );
    expect(button(root, "Approve").disabled).toBe(true);
    await submit($<HTMLFormElement>(root, "form.email-edit"));
    await h.waitFor(() => expect($(root, ".notice").textContent).toBe("Saved."));

    // preview: search the group, pick its member, see the rendered text
    await type($<HTMLInputElement>(root, "#preview-q"), group.name.slice(0, 8));
    await h.waitFor(() => expect($<HTMLSelectElement>(root, "#preview-group").value).toBe(group.id));
    await h.waitFor(() => expect($<HTMLSelectElement>(root, "#preview-person").value).toBe(ada.id));
    await click(button(root, "Show preview"));
    await h.waitFor(() => expect($(root, ".preview-text").textContent).toBe("Dear Ada (CFO),\nregards"));
    expect($(root, ".preview-subject").textContent).toMatch(/^Ada, an idea for Account \d+$/);
    expect(root.querySelector("iframe.preview-html")?.getAttribute("sandbox")).toBe("");

    // approve
    await click(button(root, "Approve"));
    await h.waitFor(() => expect($(root, ".email-status").dataset.status).toBe("approved"));
    expect($(root, ".notice").textContent).toBe("Approved: reps can send this email now.");
    expect((await h.ctx.call("GET", `/api/emails/${email.body.id}`)).body.status).toBe("approved");

    // renaming keeps the approval; a content change warns first, then returns it to draft
    await type($<HTMLInputElement>(root, "#email-name"), "Intro v2");
    expect(root.querySelector(".state.warning")).toBeNull();
    await submit($<HTMLFormElement>(root, "form.email-edit"));
    await h.waitFor(() => expect($(root, "h1").textContent).toBe("Intro v2"));
    expect($(root, ".email-status").dataset.status).toBe("approved");
    await type($<HTMLTextAreaElement>(root, "#email-htmlBody"), "<p>New</p>");
    expect($(root, ".state.warning").textContent).toContain("returns the email to draft");
    await submit($<HTMLFormElement>(root, "form.email-edit"));
    await h.waitFor(() => expect($(root, ".email-status").dataset.status).toBe("draft"));
    expect($(root, ".notice").textContent).toContain("draft again");
    // the preview re-renders the saved version
    await h.waitFor(() => expect(root.querySelector("iframe.preview-html")?.getAttribute("srcdoc")).toContain("<p>New</p>"));

    // unsafe HTML: the server removes it on save and the editor says what went
    await type($<HTMLTextAreaElement>(root, "#email-htmlBody"), '<p onclick="x()">Hi</p><script>alert(1)</script>');
    await submit($<HTMLFormElement>(root, "form.email-edit"));
    await h.waitFor(() =>
      expect($(root, ".notice").textContent).toContain("Removed from the HTML for safety: <script>, onclick."),
    );
    expect($<HTMLTextAreaElement>(root, "#email-htmlBody").value).toBe("<p>Hi</p>");

    // remote images: blocked in the preview until asked for
    await type($<HTMLTextAreaElement>(root, "#email-htmlBody"), '<p>Hi</p><img src="https://tracker.example/p.gif">');
    await submit($<HTMLFormElement>(root, "form.email-edit"));
    await h.waitFor(() => expect(root.querySelector("iframe.preview-html")?.getAttribute("srcdoc")).toContain("tracker.example"));
    const policy = () =>
      /Content-Security-Policy" content="([^"]*)"/.exec(root.querySelector("iframe.preview-html")!.getAttribute("srcdoc")!)?.[1];
    expect(policy()).toContain("img-src data: cid;".replace(";", ""));
    expect(policy()).not.toContain("https:");
    expect($(root, "[data-testid=remote-content]").textContent).toContain("Remote images are blocked");
    await click(button(root, "Load remote images"));
    expect(policy()).toContain("img-src data: cid: https: http:");
    expect($(root, "[data-testid=remote-content]").textContent).toContain("Remote images are shown.");

    // the member left the group meanwhile: the server's refusal is shown
    const removed = await h.ctx.call("POST", `/api/groups/${group.id}/members/remove`, { personIds: [ada.id] });
    expect(removed.status).toBeLessThan(300);
    await click(button(root, "Show preview"));
    await h.waitFor(() =>
      expect($(root, ".email-preview [role=alert]").textContent).toContain(`Person '${ada.id}' is not an active member`),
    );
    expect(root.querySelector(".preview-result")).toBeNull();
  });
});
