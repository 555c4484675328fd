import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { GroupDetails, GroupScores } from "../../../../shared/api/groups";
import { MemberCard } from "../../../components/MemberCard";
import { RecentJourneys } from "../../../components/RecentJourneys";
import { ScoreTiles } from "../../../components/ScoreTiles";
import { language } from "../../../models/locale";
import { formatDate, formatDateTime, formatNumber } from "../../../utils/i18n";
import type { ScreenProps } from "../../AdminApp";
import { type AdminApi, errorMessage, expectOk } from "../../api";
import { type Translate, useT } from "../../i18n";
import { routeHref } from "../../router";
import { useSession } from "../../session";
import { DeleteGroup } from "./DeleteGroup";
import "./group.css";
import {
  changeStage,
  type Duplicates,
  type GroupStage,
  memberSend,
  type NextRole,
  type StageRef,
  StageRefused,
  type StaleMembers,
  type Summaries,
  type Timeline,
  type TimelineItem,
} from "./group-api";
import { messages } from "./messages";

type Key = Parameters<Translate<keyof (typeof messages)["en"]>>[0];
type T = Translate<Key>;

interface Resource<V> {
  data: V | null;
  error: string | null;
}

/** Loads `load()` whenever `deps` change; keeps the previous data while reloading. */
function useResource<V>(load: () => Promise<V>, deps: unknown[]): Resource<V> {
  const [state, setState] = useState<Resource<V>>({ data: null, error: null });
  const seq = useRef(0);
  useEffect(() => {
    const id = ++seq.current;
    load().then(
      (data) => id === seq.current && setState({ data, error: null }),
      (e) => id === seq.current && setState((s) => ({ data: s.data, error: errorMessage(e) })),
    );
  }, deps);
  return state;
}

const TIMELINE_PAGE = 20;
const INTENT_ROWS = [
  ["keyword", "intentKeyword"],
  ["product", "intentProduct"],
  ["solution", "intentSolution"],
] as const;
const LEVEL_KEYS = { high: "intentHigh", medium: "intentMedium", low: "intentLow" } as const;
const WEIGHTING_KEYS: Record<string, Key> = {
  trivial: "wTrivial",
  minor: "wMinor",
  normal: "wNormal",
  important: "wImportant",
  vital: "wVital",
};
const SOURCE_KEYS: Record<string, Key> = { manual: "sourceManual", journey: "sourceJourney", system: "sourceSystem" };

/** "Decision maker" role name and the "decision maker" flag say the same thing: show it once. */
const sameWords = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** One buying group in a wide layout: everything the side panel shows, plus stage changes and the group's insights. */
export function GroupScreen({ route }: ScreenProps) {
  const t = useT(messages);
  const { api, me } = useSession();
  const id = route.id ?? "";
  const lang = language.value;
  // Bumped after every change (recompute, stage move) so everything that depends on it reloads.
  const [version, setVersion] = useState(0);
  const details = useResource(
    () => expectOk<GroupDetails>(api.groups[":id"].$get({ param: { id }, query: { lang } })),
    [id, version, lang],
  );
  const scores = useResource(() => expectOk<GroupScores>(api.groups[":id"].scores.$get({ param: { id } })), [id, version]);
  const stage = useResource(() => expectOk<GroupStage>(api.groups[":id"].stage.$get({ param: { id } })), [id, version]);
  const summaries = useResource(
    () => expectOk<Summaries>(api.groups[":id"].summaries.$get({ param: { id }, query: { lang } })),
    [id, version, lang],
  );
  const nextRole = useResource(() => expectOk<NextRole>(api.groups[":id"]["next-role"].$get({ param: { id } })), [id, version]);
  const stale = useResource(
    () => expectOk<StaleMembers>(api.groups[":id"]["stale-members"].$get({ param: { id } })),
    [id, version],
  );
  const duplicates = useResource(() => expectOk<Duplicates>(api.groups[":id"].duplicates.$get({ param: { id } })), [id, version]);
  const send = useMemo(() => memberSend(api), [api]);

  const d = details.data;
  if (!d) {
    return (
      <div class="group-screen">
        <p>
          <a href={routeHref("browse")}>← {t("back")}</a>
        </p>
        {details.error ? (
          <>
            <h1>{id}</h1>
            <p role="alert" class="field-error">
              {t("loadFailed", { message: details.error })}{" "}
              <button type="button" onClick={() => setVersion((v) => v + 1)}>
                {t("retry")}
              </button>
            </p>
          </>
        ) : (
          <>
            <h1 class="sr-only">{t("loading")}</h1>
            <p role="status">{t("loading")}</p>
          </>
        )}
      </div>
    );
  }
  const g = d.group;
  const names = new Map(d.members.map((m) => [m.personId, m.name]));
  const roleNames = new Map(d.roles.map((r) => [r.key, r.name]));

  return (
    <div class="group-screen">
      <p class="back">
        <a href={routeHref("browse")}>← {t("back")}</a>
      </p>
      <header class="group-head">
        <h1>{g.name}</h1>
        <p class="muted">
          {t("subtitle", {
            account: g.accountName,
            interest: g.solutionInterestName,
            template: g.roleTemplate.name,
            version: String(g.roleTemplate.version),
          })}
        </p>
      </header>
      <div class="group-columns">
        <div class="group-col">
          <section aria-labelledby="g-scores" class="panel-box" data-testid="group-scores">
            <h2 id="g-scores">{t("scores")}</h2>
            <ScoreTiles details={d} scores={scores.data} />
            <dl class="facts">
              <dt>{t("members")}</dt>
              <dd data-testid="member-count">{formatNumber(lang, g.memberCount)}</dd>
              <dt>{t("stage")}</dt>
              <dd>{g.stage?.name ?? t("noStage")}</dd>
              <dt>{t("template")}</dt>
              <dd>
                {g.roleTemplate.name} v{g.roleTemplate.version}
              </dd>
              <dt>{t("lastModified")}</dt>
              <dd>{formatDateTime(lang, g.updatedAt)}</dd>
            </dl>
            <Recompute t={t} api={api} groupId={g.id} computedAt={g.scoresComputedAt} onDone={() => setVersion((v) => v + 1)} />
            <h3>{t("summary")}</h3>
            <p class="summary" data-testid="group-summary-text">
              {summaries.data?.group.text ?? g.summary}
            </p>
          </section>
          <StageSection t={t} api={api} groupId={g.id} stage={stage} onChanged={() => setVersion((v) => v + 1)} />
          {me.role === "admin" && <DeleteGroup t={t} api={api} groupId={g.id} name={g.name} memberCount={g.memberCount} />}
          <section aria-labelledby="g-roles" class="panel-box">
            <h2 id="g-roles">{t("roles")}</h2>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
            <div class="table-scroll" tabIndex={0}>
              <table class="admin-table roles-table" data-testid="roles-table">
                <thead>
                  <tr>
                    <th scope="col">{t("role")}</th>
                    <th scope="col">{t("weighting")}</th>
                    <th scope="col">{t("assigned")}</th>
                    <th scope="col">{t("counts")}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.roles.map((r) => (
                    <tr key={r.key} class={r.countsTowardCompleteness && r.assigned < r.membersRequired ? "short" : undefined}>
                      <th scope="row">
                        {r.name}
                        {r.decisionMaker && !sameWords(r.name, t("decisionMaker")) && (
                          <span class="muted"> · {t("decisionMaker")}</span>
                        )}
                      </th>
                      <td>{WEIGHTING_KEYS[r.weighting] ? t(WEIGHTING_KEYS[r.weighting]!) : r.weighting}</td>
                      <td class="num">{t("roleFilled", { assigned: r.assigned, required: r.membersRequired })}</td>
                      <td>{r.countsTowardCompleteness ? t("yes") : t("no")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>

        <div class="group-col group-col-wide">
          {(
            [
              ["g-dm", "decisionMakers", "decision-makers", d.decisionMakers],
              ["g-top", "topEngaged", "top-engaged", d.topEngaged],
            ] as const
          ).map(([headingId, title, testId, cards]) => (
            <section key={headingId} aria-labelledby={headingId}>
              <h2 id={headingId}>{t(title)}</h2>
              <div class="cards" data-testid={testId}>
                {cards.length === 0 && <p class="muted">{t("noMembers")}</p>}
                {cards.map((c) => (
                  <MemberCard key={c.personId} card={c} groupId={g.id} send={send} />
                ))}
              </div>
            </section>
          ))}
          <section aria-labelledby="g-members">
            <h2 id="g-members">{t("allMembers", { count: d.members.length })}</h2>
            {d.members.length === 0 ? (
              <p class="muted">{t("noMembers")}</p>
            ) : (
              <>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
                <div class="table-scroll" tabIndex={0}>
                  <table class="admin-table members-table" data-testid="members-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("name")}</th>
                        <th scope="col">{t("role")}</th>
                        <th scope="col">{t("jobTitle")}</th>
                        <th scope="col">{t("email")}</th>
                        <th scope="col">{t("phone")}</th>
                        <th scope="col">{t("source")}</th>
                        <th scope="col" class="num">
                          {t("score")}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.members.map((m) => (
                        <tr key={m.personId} data-person-id={m.personId}>
                          <th scope="row">
                            {m.name}
                            {m.personStatus === "left_company" && <span class="flag"> · {t("personLeft")}</span>}
                            {m.personStatus === "bounced" && <span class="flag"> · {t("personBounced")}</span>}
                          </th>
                          <td>
                            {m.roleName}
                            {m.decisionMaker && !sameWords(m.roleName, t("decisionMaker")) && (
                              <span class="muted"> · {t("decisionMaker")}</span>
                            )}
                          </td>
                          <td>{m.jobTitle ?? "—"}</td>
                          <td>{m.email ? <a href={`mailto:${m.email}`}>{m.email}</a> : "—"}</td>
                          <td class="nowrap">{m.phone ?? "—"}</td>
                          <td>{SOURCE_KEYS[m.source] ? t(SOURCE_KEYS[m.source]!) : m.source}</td>
                          <td class="num">{formatNumber(lang, m.score, 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
        </div>

        <div class="group-col">
          <section aria-labelledby="g-account" class="panel-box">
            <h2 id="g-account">{t("accountOverview")}</h2>
            <dl class="facts">
              <dt>{t("people")}</dt>
              <dd>{formatNumber(lang, d.account.peopleCount)}</dd>
              <dt>{t("domain")}</dt>
              <dd>{d.account.domain ?? "—"}</dd>
              <dt>{t("industry")}</dt>
              <dd>{d.account.industry ?? "—"}</dd>
              <dt>{t("segment")}</dt>
              <dd>{d.account.marketSegment ?? "—"}</dd>
              <dt>{t("openOpportunities")}</dt>
              <dd>
                {t("opportunitiesValue", {
                  count: d.account.openOpportunities.count,
                  amount: new Intl.NumberFormat(lang, { notation: "compact" }).format(d.account.openOpportunities.amount),
                })}
              </dd>
              <dt>{t("lastJourneys")}</dt>
              <dd>
                <RecentJourneys journeys={d.account.journeys} lang={lang} empty={t("noJourneys")} />
              </dd>
            </dl>
            <p class="summary">{summaries.data?.account.text ?? d.account.summary}</p>
          </section>
          <section aria-labelledby="g-intent" class="panel-box" data-testid="intent">
            <h2 id="g-intent">{t("intent")}</h2>
            <dl class="facts">
              {INTENT_ROWS.map(([type, label]) => {
                const level = d.intent.levels[type];
                return [
                  <dt key={`${type}-t`}>{t(label)}</dt>,
                  <dd key={`${type}-d`} class={level ? `level-${level}` : undefined}>
                    {level ? t(LEVEL_KEYS[level]) : t("intentNone")}
                  </dd>,
                ];
              })}
            </dl>
            {d.intent.topics.length > 0 && (
              <p class="muted">
                {t("topics")}:{" "}
                {d.intent.topics
                  .slice(0, 5)
                  .map((x) => `${x.topic} (${t(LEVEL_KEYS[x.level])})`)
                  .join(" · ")}
              </p>
            )}
          </section>
          <section aria-labelledby="g-next" class="panel-box" data-testid="next-role">
            <h2 id="g-next">{t("nextRole")}</h2>
            {nextRole.error && <p class="field-error">{t("sectionUnavailable", { message: nextRole.error })}</p>}
            {nextRole.data && nextRole.data.roles.length === 0 && <p class="muted">{t("nextRoleNone")}</p>}
            {nextRole.data && (
              <ol class="next-roles">
                {nextRole.data.roles.slice(0, 3).map((r) => (
                  <li key={r.roleKey}>
                    <strong>{r.roleName}</strong> — {t("roleFilled", { assigned: r.assigned, required: r.membersRequired })} ·{" "}
                    <span class="gain">{t("gain", { gain: r.completenessGain })}</span>
                    {r.contacts.length === 0 ? (
                      <div class="muted">{t("noCandidates")}</div>
                    ) : (
                      <ul class="plain candidates" aria-label={t("candidates")}>
                        {r.contacts.slice(0, 3).map((c) => (
                          <li key={c.personId}>
                            {c.name}
                            {c.jobTitle ? `, ${c.jobTitle}` : ""} · {formatNumber(lang, c.score, 0)}
                            {c.matchesRule && <span class="muted"> · {t("matchesRule")}</span>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section aria-labelledby="g-checks" class="panel-box" data-testid="member-checks">
            <h2 id="g-checks">{t("memberChecks")}</h2>
            {stale.error && <p class="field-error">{t("sectionUnavailable", { message: stale.error })}</p>}
            {stale.data && (
              <>
                <h3>{t("stale", { count: stale.data.items.length })}</h3>
                {stale.data.items.length === 0 ? (
                  <p class="muted">{t("noStale")}</p>
                ) : (
                  <ul class="plain flags" data-testid="stale-members">
                    {stale.data.items.map((s) => (
                      <li key={s.personId}>
                        <strong>{names.get(s.personId) ?? s.name}</strong>:{" "}
                        {s.reasons
                          .map((r) =>
                            r === "left_company"
                              ? t("staleLeft")
                              : r === "bounced"
                                ? t("staleBounced")
                                : t("staleNoActivity", {
                                    from: formatDate(lang, stale.data!.window.from),
                                    to: formatDate(lang, stale.data!.window.to),
                                  }),
                          )
                          .join(", ")}
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
            {duplicates.error && <p class="field-error">{t("sectionUnavailable", { message: duplicates.error })}</p>}
            {duplicates.data && (
              <>
                <h3>{t("duplicates", { count: duplicates.data.items.length })}</h3>
                {duplicates.data.items.length === 0 ? (
                  <p class="muted">{t("noDuplicates")}</p>
                ) : (
                  <ul class="plain flags" data-testid="duplicate-members">
                    {duplicates.data.items.map((set) => {
                      const who = set.personIds.map((p) => names.get(p) ?? p).join(", ");
                      return (
                        <li key={`${set.reason}:${set.key}`}>
                          {set.reason === "same_email"
                            ? t("sameEmail", { key: set.key, names: who })
                            : t("sameName", { names: who })}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </>
            )}
          </section>
          <TimelineSection t={t} api={api} groupId={g.id} version={version} names={names} roleNames={roleNames} />
        </div>
      </div>
    </div>
  );
}

function Recompute(props: { t: T; api: AdminApi; groupId: string; computedAt: string; onDone: () => void }) {
  const { t, api, groupId } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const lang = language.value;
  return (
    <div class="computed">
      <span data-testid="scores-computed">{t("scoresComputedAt", { when: formatDateTime(lang, props.computedAt) })}</span>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setMessage(null);
          try {
            await expectOk(api.groups[":id"].scores.recompute.$post({ param: { id: groupId } }));
            setMessage({ ok: true, text: t("recomputed") });
            props.onDone();
          } catch (e) {
            setMessage({ ok: false, text: t("actionFailed", { message: errorMessage(e) }) });
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? t("recomputing") : t("recompute")}
      </button>
      <span role="status" class={message && !message.ok ? "field-error" : "ok"}>
        {message?.text ?? ""}
      </span>
    </div>
  );
}

function StageSection(props: { t: T; api: AdminApi; groupId: string; stage: Resource<GroupStage>; onChanged: () => void }) {
  const { t, api, groupId } = props;
  const s = props.stage.data;
  const lang = language.value;
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; allowed?: StageRef[] } | null>(null);
  const targets = s?.allowedTargets ?? [];
  useEffect(() => {
    if (target && !targets.some((x) => x.id === target) && !result) setTarget("");
  }, [s]);

  async function move(e: Event) {
    e.preventDefault();
    if (!target) return;
    setBusy(true);
    setResult(null);
    try {
      const next = await changeStage(api, groupId, target);
      setResult({ ok: true, text: t("moved", { stage: next.stage?.name ?? "" }) });
      setTarget("");
      props.onChanged();
    } catch (err) {
      if (err instanceof StageRefused) {
        // The group moved meanwhile (or the model changed): show why, and reload where it may go now.
        setResult({ ok: false, text: err.message, allowed: err.allowedTargets });
        setTarget("");
        props.onChanged();
      } else setResult({ ok: false, text: t("actionFailed", { message: errorMessage(err) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="g-stage" class="panel-box" data-testid="stage">
      <h2 id="g-stage">{t("stage")}</h2>
      {props.stage.error && <p class="field-error">{t("sectionUnavailable", { message: props.stage.error })}</p>}
      {s && (
        <>
          <p class="current-stage">
            <strong data-testid="current-stage">{s.stage?.name ?? t("noStage")}</strong>
          </p>
          {!s.stageModelId ? (
            <p class="muted">{t("noStageModel")}</p>
          ) : targets.length === 0 && !result?.allowed ? (
            <p class="muted">{t("finalStage")}</p>
          ) : (
            <form class="stage-form" onSubmit={move}>
              <div class="field">
                <label for="stage-target">{t("changeStage")}</label>
                <select id="stage-target" name="stageId" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                  <option value="">{t("chooseStage")}</option>
                  {targets.map((x) => (
                    <option key={x.id} value={x.id}>
                      {x.name}
                    </option>
                  ))}
                  {target && !targets.some((x) => x.id === target) && <option value={target}>{target}</option>}
                </select>
              </div>
              <button type="submit" class="primary" disabled={busy || !target}>
                {busy ? t("moving") : t("move")}
              </button>
            </form>
          )}
          <div role="status" aria-live="polite">
            {result && (
              <p class={result.ok ? "ok" : "field-error"} role={result.ok ? undefined : "alert"} data-testid="stage-result">
                {result.text}
                {result.allowed && result.allowed.length > 0 && (
                  <>
                    <br />
                    {t("allowedNow", { stages: result.allowed.map((a) => a.name).join(", ") })}
                  </>
                )}
              </p>
            )}
          </div>
          <h3>{t("stageHistory")}</h3>
          {s.history.length === 0 ? (
            <p class="muted">{t("noHistory")}</p>
          ) : (
            <ol class="plain history" data-testid="stage-history">
              {s.history.map((h) => (
                <li key={h.id}>
                  <span>{t("historyEntry", { from: h.from?.name ?? "—", to: h.to.name })}</span>{" "}
                  <span class="muted">
                    · {formatDateTime(lang, h.changedAt)} · {SOURCE_KEYS[h.source] ? t(SOURCE_KEYS[h.source]!) : h.source}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function timelineText(t: T, item: TimelineItem, names: Map<string, string>, roleNames: Map<string, string>): string {
  const d = item.details;
  const person = (item.entityType === "person" && item.entityId ? names.get(item.entityId) : undefined) ?? t("someone");
  const roleKey = typeof d.roleKey === "string" ? d.roleKey : "";
  const role = roleNames.get(roleKey) ?? roleKey;
  switch (item.action) {
    case "group.created":
      return t("actionGroupCreated");
    case "group.stage_changed":
      return t("actionStageChanged", { stage: String(d.toStageName ?? "") });
    case "member.added":
      return t("actionMemberAdded", { person, role });
    case "member.readded":
      return t("actionMemberReadded", { person, role });
    case "member.removed":
      return t("actionMemberRemoved", { person });
    case "member.role_changed":
      return t("actionMemberRoleChanged", { person, role });
    case "member.change_skipped":
      return t("actionMemberSkipped", { person });
    case "email.queued":
      return t("actionEmailQueued", { person });
    case "email.skipped":
      return t("actionEmailSkipped", { person });
    default:
      return item.action;
  }
}

function TimelineSection(props: {
  t: T;
  api: AdminApi;
  groupId: string;
  version: number;
  names: Map<string, string>;
  roleNames: Map<string, string>;
}) {
  const { t, api, groupId } = props;
  const lang = language.value;
  const [items, setItems] = useState<TimelineItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  async function load(before: string | null) {
    setLoading(true);
    try {
      const query: Record<string, string> = { limit: String(TIMELINE_PAGE) };
      if (before) query.before = before;
      const page = await expectOk<Timeline>(api.groups[":id"].timeline.$get({ param: { id: groupId }, query }));
      setItems((old) => (before ? [...old, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    void load(null);
  }, [groupId, props.version]);

  return (
    <section aria-labelledby="g-timeline" class="panel-box" data-testid="timeline">
      <h2 id="g-timeline">{t("timeline")}</h2>
      {error && <p class="field-error">{t("sectionUnavailable", { message: error })}</p>}
      {!loading && items.length === 0 && !error && <p class="muted">{t("noTimeline")}</p>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (axe scrollable-region-focusable) */}
      <ol class="plain timeline" tabIndex={0} aria-labelledby="g-timeline">
        {items.map((item) => (
          <li key={item.id}>
            <div>{timelineText(t, item, props.names, props.roleNames)}</div>
            <div class="muted">
              {formatDateTime(lang, item.at)} ·{" "}
              {item.actor
                ? t("bySource", { who: item.actor.name })
                : SOURCE_KEYS[item.source]
                  ? t(SOURCE_KEYS[item.source]!)
                  : item.source}
            </div>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" disabled={loading} onClick={() => void load(next)}>
          {t("loadMore")}
        </button>
      )}
    </section>
  );
}
