import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { api, call, callVoid } from "../../api/client";
import { describeIssue, isApiError } from "../../api/problem";
import { useUsers } from "../../api/queries";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import {
  checkOverride,
  defaultDraft,
  OVERRIDE_FIELDS,
  type OverrideDraft,
  type OverrideField,
  overrideFieldOf,
  toOverrideBody,
} from "./override-form";
import { type Override, refreshSchedules, type Schedule, useOverrides } from "./queries";
import { zonedDateTime } from "./timeline";

/** The schedule's current and upcoming overrides; responders add and remove them. */
export function OverridesPanel({ schedule }: { schedule: Schedule }) {
  const user = useSession();
  const responder = canRespond(user);
  const overrides = useOverrides(schedule.id);
  const heading = useRef<HTMLHeadingElement>(null);
  const [said, setSaid] = useState("");
  const items = overrides.data?.items ?? [];
  return (
    <section aria-labelledby="overrides-title" className="spaced">
      <h2 id="overrides-title" ref={heading} tabIndex={-1}>
        Overrides
      </h2>
      <p className="muted">
        Someone covers a stretch instead of whoever the rotation says; where two overlap, the newer one wins.
        Current and upcoming ones are listed.
      </p>
      {responder ? (
        <AddOverride schedule={schedule} onAdded={(text) => setSaid(text)} />
      ) : (
        <p className="notice">Responders and admins add and remove overrides.</p>
      )}
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {overrides.isPending ? <Loading what="the overrides" /> : null}
      <ErrorAlert error={overrides.error} onRetry={() => void overrides.refetch()} />
      {overrides.data && items.length === 0 ? <Empty>No current or upcoming overrides.</Empty> : null}
      {items.length > 0 ? (
        <TableWrap label="Overrides">
          <table>
            <thead>
              <tr>
                <th scope="col">Who covers</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Added by</th>
                {responder ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((override) => (
                <OverrideRow
                  key={override.id}
                  override={override}
                  schedule={schedule}
                  canDelete={responder}
                  onDeleted={(text) => {
                    setSaid(text);
                    heading.current?.focus();
                  }}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}

function OverrideRow({
  override,
  schedule,
  canDelete,
  onDeleted,
}: {
  override: Override;
  schedule: Schedule;
  canDelete: boolean;
  onDeleted: (text: string) => void;
}) {
  const client = useQueryClient();
  const from = zonedDateTime(override.start, schedule.timeZone);
  const until = zonedDateTime(override.end, schedule.timeZone);
  const remove = useMutation({
    mutationFn: () =>
      callVoid(
        `Could not remove ${override.name}'s override`,
        api.DELETE("/api/v1/schedules/{id}/overrides/{overrideId}", {
          params: { path: { id: schedule.id, overrideId: override.id } },
        }),
      ),
    onSuccess: () => {
      onDeleted(`Removed ${override.name}'s override from ${from}.`);
      refreshSchedules(client);
    },
  });
  return (
    <tr>
      <td>
        {override.name}
        <div className="small muted">{override.email}</div>
        <ErrorAlert error={remove.error} />
      </td>
      <td>{from}</td>
      <td>{until}</td>
      <td>{override.createdBy?.name ?? <span className="muted">unknown</span>}</td>
      {canDelete ? (
        <td>
          <button
            type="button"
            className="button button-small"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Remove ${override.name}'s override from ${from} until ${until}?`))
                remove.mutate();
            }}
          >
            Remove
            <span className="visually-hidden">
              {" "}
              {override.name}'s override from {from}
            </span>
          </button>
        </td>
      ) : null}
    </tr>
  );
}

function AddOverride({ schedule, onAdded }: { schedule: Schedule; onAdded: (text: string) => void }) {
  const client = useQueryClient();
  const me = useSession();
  const users = useUsers();
  const timeZone = schedule.timeZone;
  const [draft, setDraft] = useState<OverrideDraft>(() => defaultDraft(Date.now(), timeZone, me.id));
  const [showChecks, setShowChecks] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const people = (users.data?.items ?? []).filter((u) => !u.disabled);

  const save = useMutation({
    mutationFn: () =>
      call(
        "Could not add the override",
        api.POST("/api/v1/schedules/{id}/overrides", {
          params: { path: { id: schedule.id } },
          body: toOverrideBody(draft, timeZone),
        }),
      ),
    onSuccess: (override) => {
      const text = `${override.name} covers from ${zonedDateTime(override.start, timeZone)} until ${zonedDateTime(override.end, timeZone)}.`;
      setAdded(text);
      onAdded(text);
      setShowChecks(false);
      refreshSchedules(client);
    },
  });

  const checks = showChecks ? checkOverride(draft, timeZone) : {};
  const problem = isApiError(save.error) ? save.error.problem : undefined;
  const errorsAt = (field: OverrideField) => [
    ...(checks[field] ? [checks[field]] : []),
    ...(problem?.errors ?? []).filter((i) => overrideFieldOf(i.path) === field).map(describeIssue),
  ];
  const update = (patch: Partial<OverrideDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setAdded(null);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkOverride(draft, timeZone);
    setShowChecks(true);
    const first = OVERRIDE_FIELDS.find((field) => found[field]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    save.mutate();
  };

  return (
    <form
      ref={formRef}
      className="panel override-form"
      onSubmit={submit}
      noValidate
      aria-labelledby="add-override-title"
    >
      <h3 id="add-override-title">Add an override</h3>
      <ErrorAlert error={save.error} fields={["userId", "email", "start", "end"]} focus />
      <div className="override-fields">
        <Field label="Who covers" errors={errorsAt("userId")}>
          {(control) => (
            <select
              {...control}
              data-field="userId"
              value={draft.userId}
              onChange={(e) => update({ userId: e.target.value })}
            >
              {users.isPending ? <option value={draft.userId}>{me.name}</option> : null}
              {people.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name} ({person.email})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From" hint={`In ${timeZone}`} errors={errorsAt("start")}>
          {(control) => (
            <input
              {...control}
              data-field="start"
              type="datetime-local"
              value={draft.start}
              onChange={(e) => update({ start: e.target.value })}
            />
          )}
        </Field>
        <Field label="Until" hint={`In ${timeZone}`} errors={errorsAt("end")}>
          {(control) => (
            <input
              {...control}
              data-field="end"
              type="datetime-local"
              value={draft.end}
              onChange={(e) => update({ end: e.target.value })}
            />
          )}
        </Field>
      </div>
      <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      <button type="submit" className="button button-primary" disabled={save.isPending}>
        {save.isPending ? "Adding…" : "Add override"}
      </button>
      {added ? (
        <p className="notice notice-ok spaced" role="status">
          Added: {added}
        </p>
      ) : null}
    </form>
  );
}
