import type { TemplateInput } from "../../shared/api/templates";

/**
 * The default roles template: who decides, who signs, who influences, who uses it. Its rules test seniority and
 * department, which role rules infer from the job title when a person has none (shared/domain/job-title.ts): a CRM
 * page shows titles only, so "CEO", "Inköpschef" or "Directeur financier" get their role pre-chosen on the page.
 * Roles are in priority order: a CFO is a decision maker before a finance person.
 */
export const DEFAULT_TEMPLATE: TemplateInput = {
  name: "Default B2B buying group",
  description:
    "Four roles most B2B software purchases need, matched on the seniority and department a job title says; edit it or publish a new version.",
  roles: [
    {
      key: "decision-maker",
      name: "Decision maker",
      weighting: "vital",
      membersRequired: 1,
      countsTowardCompleteness: true,
      decisionMaker: true,
      conditions: { any: [{ field: "seniority", op: "in", value: ["C-Level", "VP"] }] },
    },
    {
      key: "economic-buyer",
      name: "Legal & procurement",
      weighting: "minor",
      membersRequired: 1,
      countsTowardCompleteness: true,
      decisionMaker: false,
      conditions: { any: [{ field: "department", op: "in", value: ["Legal", "Procurement", "Finance"] }] },
    },
    {
      key: "influencer",
      name: "Influencer",
      weighting: "important",
      membersRequired: 1,
      countsTowardCompleteness: true,
      decisionMaker: false,
      conditions: { any: [{ field: "seniority", op: "equals", value: "Director" }] },
    },
    {
      key: "practitioner",
      name: "Practitioner",
      weighting: "normal",
      membersRequired: 2,
      countsTowardCompleteness: true,
      decisionMaker: false,
      // Every manager and specialist: the people who will use what is bought, whatever their department.
      conditions: { any: [{ field: "seniority", op: "in", value: ["Manager", "Individual Contributor"] }] },
    },
  ],
};

export const DEMO_SOLUTION_INTERESTS = [
  {
    name: "Cloud Security Suite",
    description: "Zero-trust access, SIEM and endpoint protection.",
    keywords: ["zero trust", "siem", "endpoint security"],
    products: ["Security Suite", "Identity Manager"],
  },
  {
    name: "Data Platform",
    description: "Warehouse, pipelines and governance for analytics teams.",
    keywords: ["data warehouse", "etl", "data governance"],
    products: ["Data Platform", "Analytics Cloud"],
  },
  {
    name: "Collaboration Cloud",
    description: "Chat, video and shared workspaces for hybrid teams.",
    keywords: ["video conferencing", "team chat", "hybrid work"],
    products: ["Meet", "Spaces"],
  },
];

export const DEMO_STAGES = [
  { key: "identified", name: "Identified", kind: "entry" },
  { key: "engaged", name: "Engaged", kind: "in_progress" },
  { key: "evaluating", name: "Evaluating", kind: "in_progress" },
  { key: "won", name: "Closed won", kind: "success" },
  { key: "lost", name: "Closed lost", kind: "failure" },
] as const;

export const DEMO_TRANSITIONS: Array<[string, string]> = [
  ["identified", "engaged"],
  ["engaged", "evaluating"],
  ["evaluating", "won"],
  ["evaluating", "lost"],
  ["engaged", "lost"],
  ["lost", "identified"],
];

export const DEMO_JOURNEYS = [
  "Q4 security webinar series",
  "Data platform nurture",
  "Renewal outreach 2027",
  "Executive dinner Stockholm",
  "Hybrid work roadshow",
];

/** Relative popularity of activity types in the demo (ids from the catalogue). */
export const DEMO_TYPE_POPULARITY = [
  { id: "visit-webpage", weight: 40 },
  { id: "open-email", weight: 20 },
  { id: "click-email", weight: 10 },
  { id: "click-link", weight: 8 },
  { id: "fill-out-form", weight: 3 },
  { id: "register-for-event", weight: 2 },
  { id: "attend-event", weight: 2 },
  { id: "interesting-moment", weight: 3 },
  { id: "open-sales-email", weight: 5 },
  { id: "click-sales-email", weight: 2 },
  { id: "reply-to-sales-email", weight: 1 },
  { id: "engaged-with-a-dialogue", weight: 1 },
  { id: "asset-downloads-in-webinar", weight: 1 },
];
