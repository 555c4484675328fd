/**
 * The choices of the group filters, all from the server: solution interests, the stages of their stage models, the
 * roles of the role templates, and the accounts with their industries, market segments and countries.
 */
import { useEffect, useState } from "preact/hooks";
import type { Account } from "../../../../shared/api/accounts";
import type { SolutionInterest } from "../../../../shared/api/solution-interests";
import type { StageModel } from "../../../../shared/api/stages";
import type { RoleTemplate } from "../../../../shared/api/templates";
import { type AdminApi, errorMessage, expectOk } from "../../api";

export interface FilterOptions {
  solutionInterests: Array<{ id: string; name: string }>;
  /** Stages grouped by stage model (only models some solution interest uses, unless none does). */
  stageModels: Array<{ id: string; name: string; stages: Array<{ id: string; name: string }> }>;
  roles: Array<{ key: string; name: string }>;
  accounts: Array<{ id: string; name: string }>;
  industries: string[];
  marketSegments: string[];
  countries: string[];
}

export const EMPTY_OPTIONS: FilterOptions = {
  solutionInterests: [],
  stageModels: [],
  roles: [],
  accounts: [],
  industries: [],
  marketSegments: [],
  countries: [],
};

/** Accounts read for the account choices (pages of 200). */
const MAX_ACCOUNTS = 1000;

const distinctSorted = (values: Array<string | null>): string[] =>
  [...new Map(values.filter((v): v is string => !!v?.trim()).map((v) => [v.trim().toLowerCase(), v.trim()])).values()].sort(
    (a, b) => a.localeCompare(b),
  );

/** Builds the choices from the server's lists (pure; tested). */
export function buildFilterOptions(
  interests: SolutionInterest[],
  models: StageModel[],
  templates: RoleTemplate[],
  accounts: Account[],
): FilterOptions {
  const usedModels = new Set(interests.map((s) => s.stageModelId).filter((id): id is string => !!id));
  const shownModels = usedModels.size > 0 ? models.filter((m) => usedModels.has(m.id)) : models;
  const usedTemplates = new Set(interests.map((s) => s.roleTemplateId));
  // Roles of the templates groups use first (their names win), then every other template's.
  const ordered = [...templates].sort((a, b) => Number(usedTemplates.has(b.id)) - Number(usedTemplates.has(a.id)));
  const roles = new Map<string, string>();
  for (const t of ordered)
    for (const r of [...t.roles].sort((a, b) => a.priority - b.priority)) if (!roles.has(r.key)) roles.set(r.key, r.name);
  return {
    solutionInterests: interests.map((s) => ({ id: s.id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name)),
    stageModels: shownModels.map((m) => ({
      id: m.id,
      name: m.name,
      stages: [...m.stages].sort((a, b) => a.position - b.position).map((s) => ({ id: s.id, name: s.name })),
    })),
    roles: [...roles].map(([key, name]) => ({ key, name })),
    accounts: accounts.map((a) => ({ id: a.id, name: a.name })),
    industries: distinctSorted(accounts.map((a) => a.industry)),
    marketSegments: distinctSorted(accounts.map((a) => a.marketSegment)),
    countries: distinctSorted(accounts.map((a) => a.country?.toUpperCase() ?? null)),
  };
}

export async function loadFilterOptions(api: AdminApi): Promise<FilterOptions> {
  const accountsPage = (offset: number) =>
    expectOk<{ items: Account[]; total: number }>(api.accounts.$get({ query: { limit: "200", offset: String(offset) } }));
  const [interests, models, templates, first] = await Promise.all([
    expectOk<{ items: SolutionInterest[] }>(api["solution-interests"].$get()),
    expectOk<{ items: StageModel[] }>(api["stage-models"].$get()),
    expectOk<{ items: RoleTemplate[] }>(api["role-templates"].$get({ query: {} })),
    accountsPage(0),
  ]);
  const accounts = [...first.items];
  while (accounts.length < Math.min(first.total, MAX_ACCOUNTS)) {
    const next = await accountsPage(accounts.length);
    if (next.items.length === 0) break;
    accounts.push(...next.items);
  }
  return buildFilterOptions(interests.items, models.items, templates.items, accounts);
}

/** Loads the choices once per screen; the filters stay usable (free text, "Any") while they load or if they fail. */
export function useFilterOptions(api: AdminApi): { options: FilterOptions; error: string | null } {
  const [state, setState] = useState<{ options: FilterOptions; error: string | null }>({ options: EMPTY_OPTIONS, error: null });
  useEffect(() => {
    let live = true;
    loadFilterOptions(api).then(
      (options) => live && setState({ options, error: null }),
      (e) => live && setState({ options: EMPTY_OPTIONS, error: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}
