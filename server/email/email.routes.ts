import { Hono } from "hono";
import { IdParam } from "../../shared/api/common";
import {
  CreateEmailBody,
  EmailListQuery,
  IDEMPOTENCY_KEY,
  OutboxQuery,
  PreviewEmailBody,
  SendEmailBody,
  UpdateEmailBody,
  WorkspaceBody,
} from "../../shared/api/emails";
import { can } from "../../shared/domain/roles";
import { notFound } from "../../shared/errors";
import { type AuthEnv, requires } from "../auth/auth.middleware";
import type { Deps } from "../deps";
import { fieldIssues, validate, validationError } from "../http/validate";
import { listOutbox } from "./email.repo";
import {
  approveEmail,
  createEmail,
  createWorkspace,
  findEmails,
  getEmail,
  listWorkspaces,
  previewEmail,
  sendEmail,
  updateEmail,
} from "./email.service";

/** Callers who may not write emails (sales) only ever see approved ones. */
const approvedOnly = (role: Parameters<typeof can>[0]) => !can(role, "emails:write");

export const workspaceRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", async (c) => c.json({ items: await listWorkspaces(deps.db, approvedOnly(c.get("user").role)) }, 200))
    .post("/", requires("emails:write"), validate("json", WorkspaceBody), async (c) =>
      c.json(await createWorkspace(deps, c.req.valid("json").name), 201),
    );

export const emailRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .get("/", validate("query", EmailListQuery), async (c) =>
      c.json({ items: await findEmails(deps, c.req.valid("query"), approvedOnly(c.get("user").role)) }, 200),
    )
    .post("/", requires("emails:write"), validate("json", CreateEmailBody), async (c) =>
      c.json(await createEmail(deps, c.req.valid("json"), c.get("user").id), 201),
    )
    .get("/:id", validate("param", IdParam), async (c) =>
      c.json(await getEmail(deps, c.req.valid("param").id, approvedOnly(c.get("user").role)), 200),
    )
    .patch("/:id", requires("emails:write"), validate("param", IdParam), validate("json", UpdateEmailBody), async (c) =>
      c.json(await updateEmail(deps, c.req.valid("param").id, c.req.valid("json"), c.get("user").id), 200),
    )
    .post("/:id/approve", requires("emails:write"), validate("param", IdParam), async (c) =>
      c.json(await approveEmail(deps, c.req.valid("param").id, c.get("user").id), 200),
    )
    .post("/:id/preview", requires("emails:send"), validate("param", IdParam), validate("json", PreviewEmailBody), async (c) => {
      const user = c.get("user");
      return c.json(
        await previewEmail(deps, c.req.valid("param").id, c.req.valid("json"), {
          id: user.id,
          approvedOnly: approvedOnly(user.role),
        }),
        200,
      );
    });

/** Mounted under `/groups` beside the group routes. */
export const groupEmailRoutes = (deps: Deps) =>
  new Hono<AuthEnv>()
    .post("/:id/emails", requires("emails:send"), validate("param", IdParam), validate("json", SendEmailBody), async (c) => {
      const body = c.req.valid("json");
      const header = c.req.header("idempotency-key");
      const parsed = header === undefined ? null : IDEMPOTENCY_KEY.safeParse(header);
      if (parsed && !parsed.success) throw validationError("headers", fieldIssues(parsed.error, "Idempotency-Key"));
      const headerKey = parsed?.success ? parsed.data : undefined;
      if (headerKey && body.idempotencyKey && headerKey !== body.idempotencyKey)
        throw validationError("request body", [
          { field: "idempotencyKey", message: "differs from the Idempotency-Key header; send one key" },
        ]);
      const idempotencyKey = headerKey ?? body.idempotencyKey;
      if (!idempotencyKey)
        throw validationError("request body", [
          { field: "idempotencyKey", message: "is required (or the Idempotency-Key header): a new UUID per send" },
        ]);
      const result = await sendEmail(
        deps,
        c.req.valid("param").id,
        { emailId: body.emailId, personIds: body.personIds, idempotencyKey },
        c.get("user").id,
        approvedOnly(c.get("user").role),
      );
      if (result.replayed) c.header("Idempotent-Replayed", "true");
      return c.json(result, 202);
    })
    .get("/:id/emails", validate("param", IdParam), validate("query", OutboxQuery), async (c) => {
      const q = c.req.valid("query");
      const { id } = c.req.valid("param");
      const group = await deps.db.selectFrom("buying_groups").select("id").where("id", "=", id).executeTakeFirst();
      if (!group) throw notFound("Buying group", id);
      return c.json({ items: await listOutbox(deps.db, id, q.status, q.limit) }, 200);
    });
