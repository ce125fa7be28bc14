import { type FormEvent, useState } from "react";
import { errorsFor, isApiError } from "../../api/problem";
import { usePlanDocument, useUsers } from "../../api/queries";
import type { Incident } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { ItemTable } from "../actions/item-table";
import {
  defaultDue,
  endOfDayIso,
  type Priority,
  planPriorities,
  useAddActionItem,
  useIncidentActionItems,
} from "../actions/queries";
import type { AfterTabProps } from "./after-tab";

/** Improve: what the team will change so this does not happen again, with owners and due dates. */
export function ActionItemsTab({ incident }: AfterTabProps) {
  const user = useSession();
  const items = useIncidentActionItems(incident.reference);
  const mayWrite = canRespond(user);
  return (
    <div className="after-grid">
      <section className="panel" aria-labelledby="action-items-title">
        <h2 id="action-items-title">Action items</h2>
        {items.isPending ? (
          <Loading what="the action items" />
        ) : items.error ? (
          <ErrorAlert error={items.error} onRetry={() => void items.refetch()} />
        ) : items.data.items.length === 0 ? (
          <Empty>
            <p>No action items yet. Agree them in the review, each with an owner and a due date.</p>
          </Empty>
        ) : (
          <ItemTable
            items={items.data.items}
            label={`Action items of ${incident.reference}`}
            canEdit={mayWrite}
            showIncident={false}
          />
        )}
      </section>
      {mayWrite ? <AddItemPanel incident={incident} /> : null}
    </div>
  );
}

const FIELDS = ["title", "ownerId", "priority", "dueAt", "team", "url"];

function AddItemPanel({ incident }: { incident: Incident }) {
  const planDoc = usePlanDocument();
  const users = useUsers();
  const add = useAddActionItem(incident);
  const priorities = planPriorities(planDoc.data);
  const [title, setTitle] = useState("");
  const [ownerId, setOwnerId] = useState("");
  const [priorityId, setPriorityId] = useState("");
  const [due, setDue] = useState("");
  const [noDue, setNoDue] = useState(false);
  const [team, setTeam] = useState("");
  const [url, setUrl] = useState("");
  const [missing, setMissing] = useState(false);

  const priority: Priority | undefined = priorities.find((p) => p.id === priorityId) ?? priorities[0];
  const byDefault = defaultDue(priority, new Date());
  const problem = isApiError(add.error) ? add.error.problem : undefined;
  const errors = (field: string) => [
    ...(field === "title" && missing ? ["give the action item a title"] : []),
    ...errorsFor(problem, field),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    add.mutate(
      {
        title: title.trim(),
        ...(ownerId ? { ownerId } : {}),
        ...(priority ? { priority: priority.id } : {}),
        ...(noDue ? { dueAt: null } : due ? { dueAt: endOfDayIso(due) } : {}),
        ...(team.trim() ? { team: team.trim() } : {}),
        ...(url.trim() ? { url: url.trim() } : {}),
      },
      {
        onSuccess: () => {
          setTitle("");
          setDue("");
          setNoDue(false);
          setUrl("");
        },
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="add-item-title">
      <h2 id="add-item-title">Add an action item</h2>
      <form className="action-form" onSubmit={submit} noValidate>
        <Field label="What will change" errors={errors("title")} className="field-wide">
          {(control) => (
            <input {...control} value={title} maxLength={300} onChange={(e) => setTitle(e.target.value)} />
          )}
        </Field>
        <Field label="Owner" errors={errors("ownerId")}>
          {(control) => (
            <select {...control} value={ownerId} onChange={(e) => setOwnerId(e.target.value)}>
              <option value="">Nobody yet</option>
              {(users.data?.items ?? [])
                .filter((u) => !u.disabled)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field
          label="Priority"
          errors={errors("priority")}
          hint={
            byDefault
              ? `Due by default on ${new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(byDefault)} (in ${priority?.due_in})`
              : "No due date by default"
          }
        >
          {(control) => (
            <select {...control} value={priority?.id ?? ""} onChange={(e) => setPriorityId(e.target.value)}>
              {priorities.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Due date" errors={errors("dueAt")} hint="Leave empty for the priority's default">
          {(control) => (
            <input
              {...control}
              type="date"
              value={due}
              disabled={noDue}
              onChange={(e) => setDue(e.target.value)}
            />
          )}
        </Field>
        <div className="field">
          <label className="choice">
            <input type="checkbox" checked={noDue} onChange={(e) => setNoDue(e.target.checked)} /> No due date
          </label>
        </div>
        <Field label="Team" errors={errors("team")} hint="Optional: for the team's overdue list">
          {(control) => (
            <input {...control} value={team} maxLength={100} onChange={(e) => setTeam(e.target.value)} />
          )}
        </Field>
        <Field
          label="Link to the tracker"
          errors={errors("url")}
          className="field-wide"
          hint="Optional, http(s)"
        >
          {(control) => (
            <input
              {...control}
              type="url"
              value={url}
              placeholder="https://tracker.example.com/OPS-12"
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <ErrorAlert error={add.error} fields={FIELDS} focus />
        <div className="button-row field-wide">
          <button type="submit" className="button button-primary" disabled={add.isPending}>
            Add the action item
          </button>
        </div>
      </form>
    </section>
  );
}
