import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { api, call } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import { Tag } from "../../components/badges";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Time } from "../../components/time";
import { useDraft } from "../../lib/use-draft";
import { defaultNext, moveLabel, NEXT_STATUSES, SUGGESTED_TEXT } from "./maintenance-form";
import { MaintenanceBadge } from "./page-badges";
import { type Maintenance, type MaintenanceStatus, refreshMaintenances } from "./queries";

function onTimeText(m: Maintenance): string {
  if (m.status !== "scheduled")
    return m.autoComplete
      ? "Completes by itself at the end of the window."
      : "Someone posts “completed” when done.";
  if (m.autoStart && m.autoComplete) return "Starts and completes by itself, on time.";
  if (m.autoStart) return "Starts by itself; someone posts “completed”.";
  if (m.autoComplete) return "Someone posts “in progress”; completes by itself at the end.";
  return "Started and completed by hand.";
}

/** A maintenance's component ids as names, in page order. */
export type ComponentNames = (ids: readonly string[]) => Array<{ id: string; name: string }>;

/** One maintenance: its window, components, status and updates (newest first); responders move it on. */
export function MaintenanceCard({
  maintenance: m,
  componentNames,
  canPost,
}: {
  maintenance: Maintenance;
  componentNames: ComponentNames;
  canPost: boolean;
}) {
  const titleId = useId();
  const formId = useId();
  const [composing, setComposing] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const updates = [...m.updates].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const close = () => {
    setComposing(false);
    toggle.current?.focus();
  };
  return (
    <article className="maintenance" aria-labelledby={titleId} data-status={m.status}>
      <div className="maintenance-head">
        <h3 id={titleId}>{m.title}</h3>
        <MaintenanceBadge status={m.status} />
      </div>
      <dl className="maintenance-facts">
        <div>
          <dt>Window</dt>
          <dd>
            <Time iso={m.scheduledFor} /> to <Time iso={m.scheduledUntil} />
          </dd>
        </div>
        {m.startedAt ? (
          <div>
            <dt>Started</dt>
            <dd>
              <Time iso={m.startedAt} />
            </dd>
          </div>
        ) : null}
        {m.completedAt ? (
          <div>
            <dt>Completed</dt>
            <dd>
              <Time iso={m.completedAt} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Components</dt>
          <dd className="badges">
            {componentNames(m.components).map((c) => (
              <Tag key={c.id}>{c.name}</Tag>
            ))}
          </dd>
        </div>
        {m.status !== "completed" ? (
          <div>
            <dt>On time</dt>
            <dd>{onTimeText(m)}</dd>
          </div>
        ) : null}
      </dl>
      <h4 className="maintenance-updates-title">Updates</h4>
      <ol className="maintenance-updates">
        {updates.map((u) => (
          <li key={u.id}>
            <div className="entry-head">
              <MaintenanceBadge status={u.status} />
              <Time iso={u.createdAt} />
            </div>
            <p className="entry-body">{u.body}</p>
          </li>
        ))}
      </ol>
      {canPost && m.status !== "completed" ? (
        <>
          <button
            ref={toggle}
            type="button"
            className="button button-small"
            aria-expanded={composing}
            aria-controls={composing ? formId : undefined}
            onClick={() => setComposing((open) => !open)}
          >
            Post an update<span className="visually-hidden"> on {m.title}</span>
          </button>
          {composing ? <UpdateForm id={formId} maintenance={m} onClose={close} /> : null}
        </>
      ) : null}
    </article>
  );
}

interface UpdateDraft {
  status: MaintenanceStatus | "";
  body: string;
  notify: boolean;
}

function UpdateForm({
  id,
  maintenance: m,
  onClose,
}: {
  id: string;
  maintenance: Maintenance;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const moves = NEXT_STATUSES[m.status];
  // Kept as it is typed: a maintenance that starts meanwhile moves to another list, and this form with it.
  const [draft, setDraft, clear] = useDraft<UpdateDraft>(`maintenance-update.${m.id}`, {
    status: "",
    body: "",
    notify: true,
  });
  const fallback = defaultNext(m.status) ?? moves[0] ?? m.status;
  const status: MaintenanceStatus = draft.status && moves.includes(draft.status) ? draft.status : fallback;
  const body = draft.status || draft.body ? draft.body : SUGGESTED_TEXT[status];
  const [missing, setMissing] = useState(false);
  const selectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => selectRef.current?.focus(), []);

  const post = useMutation({
    mutationFn: () =>
      call(
        `Could not post the update on “${m.title}”`,
        api.POST("/api/v1/maintenances/{id}/updates", {
          params: { path: { id: m.id } },
          // Refused (409) when the maintenance moved on since this page read it (by hand or on time).
          headers: { "if-match": `"${m.version}"` },
          body: { status, body: body.trim(), notify: draft.notify },
        }),
      ),
    onSuccess: () => {
      clear();
      refreshMaintenances(client);
      onClose();
    },
    onError: () => refreshMaintenances(client),
  });
  const problem = isApiError(post.error) ? post.error.problem : undefined;

  const choose = (next: MaintenanceStatus) =>
    // The suggested words follow the status until someone writes their own.
    setDraft((d) => ({
      ...d,
      status: next,
      body: !body.trim() || body === SUGGESTED_TEXT[status] ? SUGGESTED_TEXT[next] : body,
    }));
  const send = () => {
    if (post.isPending) return;
    if (!body.trim()) {
      setMissing(true);
      return;
    }
    post.mutate();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form id={id} className="maintenance-update-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <ErrorAlert error={post.error} fields={["status", "body", "notify"]} focus />
      <Field label="New status" errors={errorsFor(problem, "status")}>
        {(control) => (
          <select
            {...control}
            ref={selectRef}
            value={status}
            onChange={(e) => choose(e.target.value as MaintenanceStatus)}
          >
            {moves.map((to) => (
              <option key={to} value={to}>
                {moveLabel(m.status, to)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="What customers should know"
        hint="Shown on the public page. Ctrl+Enter posts it."
        errors={[
          ...(missing && !body.trim() ? ["write what customers should know"] : []),
          ...errorsFor(problem, "body"),
        ]}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={body}
            onChange={(e) => {
              setMissing(false);
              setDraft((d) => ({ ...d, status, body: e.target.value }));
            }}
          />
        )}
      </Field>
      <label className="choice">
        <input
          type="checkbox"
          checked={draft.notify}
          onChange={(e) => setDraft((d) => ({ ...d, notify: e.target.checked }))}
        />
        <span>Notify subscribers</span>
      </label>
      <div className="button-row">
        <button type="submit" className="button button-primary button-small" disabled={post.isPending}>
          {post.isPending ? "Posting…" : "Post update"}
        </button>
        <button
          type="button"
          className="button button-quiet button-small"
          onClick={() => {
            clear();
            onClose();
          }}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
