import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, call } from "../../api/client";
import type { Plan } from "../../api/plan";
import { errorsFor, isApiError } from "../../api/problem";
import { refreshIncident, storeIncident } from "../../api/queries";
import type { Incident } from "../../api/types";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { ComponentsField } from "../declare/components-field";
import { detailsOf, detailsPatch } from "./edit-details";

/** Title, severity, summary and affected components, changed during the incident; each change is logged. */
export function EditDetailsPanel({
  incident,
  plan,
  onDone,
}: {
  incident: Incident;
  plan: Plan;
  onDone: () => void;
}) {
  const [form, setForm] = useState(() => detailsOf(incident));
  const client = useQueryClient();
  const patch = detailsPatch(
    detailsOf(incident),
    form,
    plan.components.map((c) => c.id),
  );
  const save = useMutation({
    mutationFn: () =>
      call(
        `Could not change ${incident.reference}`,
        api.PATCH("/api/v1/incidents/{id}", {
          params: { path: { id: incident.id } },
          // Refused (409) when someone changed the incident since this page read it.
          headers: { "if-match": `"${incident.version}"` },
          body: patch,
        }),
      ),
    onSuccess: (next) => {
      storeIncident(client, next);
      onDone();
    },
    onError: () => refreshIncident(client, incident),
  });
  const problem = isApiError(save.error) ? save.error.problem : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(patch).length === 0) return onDone();
    save.mutate();
  };
  return (
    <section className="panel" aria-labelledby="edit-title">
      <h2 id="edit-title">Change the details</h2>
      <form onSubmit={submit} noValidate className="form-narrow">
        <ErrorAlert error={save.error} fields={["title", "severity", "summary", "components"]} focus />
        <Field label="Title" errors={errorsFor(problem, "title")}>
          {(control) => (
            <input
              {...control}
              type="text"
              value={form.title}
              onChange={(e) => setForm({ ...form, title: e.target.value })}
            />
          )}
        </Field>
        <Field label="Severity" errors={errorsFor(problem, "severity")}>
          {(control) => (
            <select
              {...control}
              value={form.severity}
              onChange={(e) => setForm({ ...form, severity: e.target.value })}
            >
              {plan.severities.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}: {s.description}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Summary"
          hint="Shown in status updates as the summary."
          errors={errorsFor(problem, "summary")}
        >
          {(control) => (
            <textarea
              {...control}
              rows={3}
              value={form.summary}
              onChange={(e) => setForm({ ...form, summary: e.target.value })}
            />
          )}
        </Field>
        <ComponentsField
          plan={plan}
          value={form.components}
          onChange={(components) => setForm({ ...form, components })}
          errors={errorsFor(problem, "components")}
        />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save changes"}
          </button>
          <button type="button" className="button button-quiet" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
