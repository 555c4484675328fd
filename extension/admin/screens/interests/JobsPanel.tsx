import { useEffect, useRef, useState } from "preact/hooks";
import type { AccountAudienceT, LifecycleJob } from "../../../../shared/api/jobs";
import { language } from "../../../models/locale";
import { formatDateTime } from "../../../utils/i18n";
import { errorMessage, expectOk, expectOkWithIssues } from "../../api";
import { useT } from "../../i18n";
import { useSession } from "../../session";
import { AudienceBuilder } from "./AudienceBuilder";
import { canCancel, isActive, progressPercent } from "./interest-form";
import { messages } from "./messages";

/** How often the list is read again while a job is queued or running. */
export const JOB_POLL_MS = 700;

/** A solution interest's creation and maintenance jobs: live progress while they run, cancel, delete, start new ones. */
export function JobsPanel({
  interestId,
  canWrite,
  onFinished,
}: {
  interestId: string;
  canWrite: boolean;
  /** Called when a job that was running has finished (its groups changed). */
  onFinished?: () => void;
}) {
  const t = useT(messages);
  const { api } = useSession();
  const [jobs, setJobs] = useState<LifecycleJob[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ jobId: string | null; message: string } | null>(null);
  const [showBuilder, setShowBuilder] = useState(false);
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  const last = useRef<LifecycleJob[]>([]);

  async function load() {
    try {
      const r = await expectOk<{ items: LifecycleJob[] }>(
        api["solution-interests"][":id"].jobs.$get({ param: { id: interestId } }),
      );
      if (live.current) {
        const wasActive = new Set(last.current.filter(isActive).map((j) => j.id));
        last.current = r.items;
        setJobs(r.items);
        if (r.items.some((j) => wasActive.has(j.id) && !isActive(j))) onFinished?.();
        setError(null);
      }
    } catch (e) {
      if (live.current) setError(errorMessage(e));
    }
  }

  useEffect(() => {
    live.current = true;
    void load();
    return () => {
      live.current = false;
    };
  }, [interestId]);

  // Poll while anything is still queued, running or stopping.
  const polling = !!jobs?.some(isActive);
  useEffect(() => {
    if (!polling) return;
    const timer = setTimeout(() => void load(), JOB_POLL_MS);
    return () => clearTimeout(timer);
  }, [jobs, polling]);

  async function start(body: { kind: "creation"; audience: AccountAudienceT } | { kind: "maintenance" }) {
    setActionError(null);
    setBusy(true);
    try {
      await expectOkWithIssues(api["solution-interests"][":id"].jobs.$post({ param: { id: interestId }, json: body }));
      if (body.kind === "creation") setShowBuilder(false);
      await load();
    } finally {
      setBusy(false);
    }
  }

  async function act(job: LifecycleJob, what: "cancel" | "delete") {
    setActionError(null);
    try {
      if (what === "cancel") await expectOk(api.jobs[":id"].cancel.$post({ param: { id: job.id } }));
      else await expectOk(api.jobs[":id"].$delete({ param: { id: job.id } }));
    } catch (e) {
      setActionError({ jobId: job.id, message: errorMessage(e) });
    }
    await load();
  }

  return (
    <section class="jobs" aria-labelledby="jobs-title">
      <h2 id="jobs-title">{t("jobs")}</h2>
      <p class="muted">{t("jobsHint")}</p>
      <div class="actions">
        <button
          type="button"
          class="primary"
          aria-expanded={showBuilder}
          aria-controls="audience-builder"
          disabled={!canWrite}
          onClick={() => setShowBuilder(!showBuilder)}
        >
          {t("newCreationJob")}
        </button>
        <button
          type="button"
          disabled={!canWrite || busy}
          onClick={() =>
            void start({ kind: "maintenance" }).catch((e) => setActionError({ jobId: null, message: errorMessage(e) }))
          }
        >
          {t("startMaintenance")}
        </button>
      </div>
      {showBuilder && (
        <AudienceBuilder
          interestId={interestId}
          onStart={(audience) => start({ kind: "creation", audience })}
          onCancel={() => setShowBuilder(false)}
        />
      )}
      <div role="alert">
        {actionError && actionError.jobId === null && <p class="state state-error">{actionError.message}</p>}
        {error && <p class="state state-error">{t("loadFailed", { message: error })}</p>}
      </div>
      {!jobs && !error && <p role="status">{t("loading")}</p>}
      {jobs && jobs.length === 0 && <p class="muted">{t("noJobs")}</p>}
      {jobs && jobs.length > 0 && (
        <ul class="job-list plain">
          {jobs.map((job) => (
            <JobItem
              key={job.id}
              job={job}
              canWrite={canWrite}
              error={actionError?.jobId === job.id ? actionError.message : null}
              onCancel={() => void act(job, "cancel")}
              onDelete={() => void act(job, "delete")}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function JobItem(props: {
  job: LifecycleJob;
  canWrite: boolean;
  error: string | null;
  onCancel: () => void;
  onDelete: () => void;
}) {
  const { job } = props;
  const t = useT(messages);
  const lang = language.value;
  const p = job.progress;
  const unit = job.kind === "creation" ? "progressAccounts" : "progressGroups";
  const labelId = `job-${job.id}-label`;
  const lastError = job.errors[job.errors.length - 1];
  return (
    <li class={`job card job-${job.status}`} data-job-id={job.id} data-status={job.status}>
      <div class="job-head">
        <strong id={labelId}>{t(job.kind === "creation" ? "kindCreation" : "kindMaintenance")}</strong>
        <span class={`badge status-${job.status}`}>{t(`status_${job.status}`)}</span>
        <span class="muted small">
          {t(job.trigger === "schedule" ? "triggerSchedule" : "triggerManual")} · {formatDateTime(lang, job.createdAt)}
        </span>
      </div>
      <div class="job-progress">
        <progress aria-labelledby={labelId} aria-describedby={`job-${job.id}-text`} max={100} value={progressPercent(job)}>
          {progressPercent(job)}%
        </progress>
        <span id={`job-${job.id}-text`} class="job-progress-text" aria-live="polite">
          {t(unit, { done: p.done, total: p.total })}
        </span>
      </div>
      <p class="job-counters muted small">
        {t("counters", {
          groups: p.groupsCreated,
          assigned: p.membersAssigned,
          removed: p.membersRemoved,
          roles: p.rolesChanged,
          skipped: p.skippedChanges,
          errors: p.errors,
        })}
        {job.finishedAt ? ` · ${t("finishedAt", { at: formatDateTime(lang, job.finishedAt) })}` : ""}
      </p>
      {job.status === "failed" && (
        <p class="state state-error" role="alert">
          <strong>{t("jobFailed")}</strong> {lastError?.message ?? ""}
        </p>
      )}
      {job.errors.length > 0 && job.status !== "failed" && (
        <details>
          <summary>{t("jobErrors", { count: job.errors.length })}</summary>
          <ul>
            {job.errors.map((e, i) => (
              <li key={i}>
                {e.entityId ? `${e.entityId}: ` : ""}
                {e.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div class="actions">
        {canCancel(job) && (
          <button type="button" disabled={!props.canWrite} onClick={props.onCancel}>
            {t("cancelJob")}
          </button>
        )}
        {!isActive(job) && (
          <button type="button" class="link" disabled={!props.canWrite} onClick={props.onDelete}>
            {t("deleteJob")}
          </button>
        )}
      </div>
      {props.error && (
        <p class="state state-error" role="alert">
          {props.error}
        </p>
      )}
    </li>
  );
}
