/** What the group screen reads besides GroupDetails (shapes of the insight and stage endpoints). */
import type { GroupDetails, MemberDetails } from "../../../../shared/api/groups";
import { language } from "../../../models/locale";
import type { Send } from "../../../models/panel-model";
import { type AdminApi, ApiError, errorMessage, expectOk } from "../../api";

export interface StageRef {
  id: string;
  name: string;
  kind: string;
}

export interface GroupStage {
  groupId: string;
  stageModelId: string | null;
  stage: StageRef | null;
  allowedTargets: StageRef[];
  history: Array<{
    id: string;
    from: { id: string; name: string } | null;
    to: { id: string; name: string };
    source: string;
    changedBy: string | null;
    changedAt: string;
  }>;
}

export interface NextRole {
  groupId: string;
  completeness: number;
  roles: Array<{
    roleKey: string;
    roleName: string;
    assigned: number;
    membersRequired: number;
    completenessGain: number;
    contacts: Array<{ personId: string; name: string; jobTitle: string | null; score: number; matchesRule: boolean }>;
  }>;
}

export interface StaleMembers {
  groupId: string;
  window: { from: string; to: string };
  items: Array<{ personId: string; name: string; roleKey: string; reasons: string[] }>;
}

export interface Duplicates {
  groupId: string;
  items: Array<{ reason: "same_email" | "same_name"; key: string; personIds: string[] }>;
}

export interface TimelineItem {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  source: string;
  action: string;
  entityType: string;
  entityId: string | null;
  /** The person's name for person entries (removed members too), else null. */
  entityName: string | null;
  details: Record<string, unknown>;
}

export interface Timeline {
  items: TimelineItem[];
  next: string | null;
}

export interface Summaries {
  lang: string;
  group: { text: string };
  account: { text: string };
}

export type { GroupDetails };

/** The 409 of a refused stage change: the server's message and where the group may go instead. */
export class StageRefused extends Error {
  constructor(
    message: string,
    readonly allowedTargets: StageRef[],
  ) {
    super(message);
  }
}

export async function changeStage(api: AdminApi, groupId: string, stageId: string): Promise<GroupStage> {
  let res: Response;
  try {
    res = (await api.groups[":id"].stage.$post({ param: { id: groupId }, json: { stageId } })) as unknown as Response;
  } catch (e) {
    throw new ApiError("unreachable", errorMessage(e));
  }
  if (res.status === 409) {
    const body = (await res.json().catch(() => null)) as {
      error?: { message?: string; details?: { allowedTargets?: StageRef[] } };
    } | null;
    throw new StageRefused(body?.error?.message ?? "HTTP 409", body?.error?.details?.allowedTargets ?? []);
  }
  return expectOk<GroupStage>(Promise.resolve(res));
}

/**
 * The panel's MemberCard asks for a member's details through the background (`send`); in the console the same request
 * goes straight to the server.
 */
export function memberSend(api: AdminApi): Send {
  const send = async (request: { type: string; groupId?: string; personId?: string }) => {
    if (request.type !== "group/member" || !request.groupId || !request.personId)
      return { ok: false, error: { kind: "invalid", message: `unsupported request ${request.type}` } };
    try {
      const data = await expectOk<MemberDetails>(
        api.groups[":id"].members[":personId"].$get({
          param: { id: request.groupId, personId: request.personId },
          query: { lang: language.value },
        }),
      );
      return { ok: true, data };
    } catch (e) {
      return { ok: false, error: e instanceof ApiError ? e.toJSON() : { kind: "server", message: errorMessage(e) } };
    }
  };
  return send as unknown as Send;
}
