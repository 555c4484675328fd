import type { Account } from "../../../shared/api/accounts";
import type { GroupDetails, GroupSummary, Member } from "../../../shared/api/groups";

export function account(id: string): Account {
  return {
    id,
    name: `Account ${id}`,
    domain: null,
    industry: null,
    marketSegment: null,
    country: null,
    annualRevenue: null,
    parentId: null,
    openOpportunities: { count: 0, amount: 0 },
    currency: null,
    crmLinks: [],
    peopleCount: 0,
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt: "2026-11-01T00:00:00Z",
  };
}

export function group(id: string, updatedAt = "2026-11-20T00:00:00Z"): GroupSummary {
  return {
    id,
    name: `Group ${id}`,
    accountId: "a1",
    accountName: "Globex",
    solutionInterestId: "si",
    solutionInterestName: "Data",
    memberCount: 2,
    completeness: 67,
    engagement: 12,
    engagementRaw: 12.3,
    scoresComputedAt: "2026-11-20T09:00:00Z",
    stage: null,
    roleTemplate: { id: "tpl", name: "Roles", version: 1 },
    createdAt: "2026-11-01T00:00:00Z",
    updatedAt,
  };
}

export function member(personId: string, name: string, roleKey = "practitioner"): Member {
  return {
    personId,
    name,
    jobTitle: "Engineer",
    roleKey,
    roleName: roleKey === "decision-maker" ? "Decision maker" : "Practitioner",
    decisionMaker: roleKey === "decision-maker",
    score: 3,
    email: `${personId}@globex.com`,
    phone: null,
    source: "manual",
    lastChangeSource: "manual",
    lastChangeAt: "2026-11-20T00:00:00Z",
    addedAt: "2026-11-20T00:00:00Z",
    status: "active",
    personStatus: "active",
  };
}

export function details(
  g: GroupSummary,
  members: Member[] = [member("p1", "Ann Decider", "decision-maker"), member("p2", "Bo Builder")],
): GroupDetails {
  return {
    group: { ...g, summary: "2 members", weekAgo: null },
    account: {
      id: "a1",
      name: "Globex",
      domain: "globex.com",
      industry: "Energy",
      marketSegment: null,
      openOpportunities: { count: 1, amount: 1000 },
      currency: "EUR",
      crmLinks: [],
      peopleCount: 5,
      journeys: [],
      summary: "Globex has 5 known contacts.",
    },
    roles: [
      {
        key: "decision-maker",
        name: "Decision maker",
        weighting: "vital",
        membersRequired: 1,
        decisionMaker: true,
        countsTowardCompleteness: true,
        assigned: 1,
      },
      {
        key: "influencer",
        name: "Influencer",
        weighting: "important",
        membersRequired: 1,
        decisionMaker: false,
        countsTowardCompleteness: true,
        assigned: 0,
      },
      {
        key: "practitioner",
        name: "Practitioner",
        weighting: "normal",
        membersRequired: 1,
        decisionMaker: false,
        countsTowardCompleteness: true,
        assigned: 1,
      },
    ],
    decisionMakers: members.filter((m) => m.decisionMaker),
    topEngaged: members.filter((m) => !m.decisionMaker),
    members,
    intent: { levels: { keyword: "high", product: null, solution: "low" }, topics: [] },
  };
}
