import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { api, call } from "../../api/client";
import { type Plan, planOf } from "../../api/plan";
import { errorsFor, isApiError } from "../../api/problem";
import { keys, usePlanDocument } from "../../api/queries";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field, FieldErrors } from "../../components/field";
import { Loading } from "../../components/states";
import { planDurationInWords, viewerTimeZone } from "../../lib/time";
import { useDraft } from "../../lib/use-draft";
import { useTitle } from "../../lib/use-title";
import { ComponentsField } from "./components-field";
import { checkDeclare, type DeclareForm, EMPTY_FORM, toDeclareBody, toEventBody } from "./declare-form";

const FIELDS = [
  "title",
  "criteria",
  "severity",
  "summary",
  "components",
  "detectedBy",
  "impactStartedAt",
  "private",
  "drill",
];

export function DeclareScreen() {
  useTitle("Declare an incident");
  const user = useSession();
  const planDoc = usePlanDocument();
  if (!canRespond(user)) {
    return (
      <>
        <h1>Declare an incident</h1>
        <p className="notice">You are a viewer: ask an admin to make you a responder to declare incidents.</p>
      </>
    );
  }
  if (planDoc.isPending) return <Loading what="the plan" />;
  if (planDoc.error) return <ErrorAlert error={planDoc.error} onRetry={() => void planDoc.refetch()} />;
  return <DeclareFormView plan={planOf(planDoc.data)} />;
}

function DeclareFormView({ plan }: { plan: Plan }) {
  const [form, setForm, clearDraft] = useDraft<DeclareForm>("declare", EMPTY_FORM);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const navigate = useNavigate();
  const client = useQueryClient();
  const declare = useMutation({
    mutationFn: () =>
      call(
        "Could not declare the incident",
        api.POST("/api/v1/incidents", { body: toDeclareBody(form, plan) }),
      ),
    onSuccess: (incident) => {
      client.setQueryData(keys.incident(incident.reference), incident);
      void client.invalidateQueries({ queryKey: keys.incidents });
      clearDraft();
      navigate(`/incidents/${incident.reference}`);
    },
  });
  const [logged, setLogged] = useState<string | null>(null);
  const logEvent = useMutation({
    mutationFn: () =>
      call("Could not log the event", api.POST("/api/v1/event-log", { body: toEventBody(form, plan) })),
    onSuccess: (event) => {
      clearDraft();
      setForm(EMPTY_FORM);
      setChecked({});
      setLogged(`Logged as an event, not an incident: “${event.title}”.`);
    },
  });
  const problem = isApiError(declare.error) ? declare.error.problem : undefined;
  const errors = (field: string) => [
    ...(checked[field] ? [checked[field]] : []),
    ...errorsFor(problem, field),
  ];
  const update = <K extends keyof DeclareForm>(key: K, value: DeclareForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkDeclare(form);
    setChecked(found);
    if (Object.keys(found).length > 0) {
      const first = FIELDS.find((f) => found[f]);
      event.currentTarget.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    declare.mutate();
  };

  return (
    <>
      <h1>Declare an incident</h1>
      <form onSubmit={submit} noValidate className="form-narrow">
        <ErrorAlert error={declare.error} fields={FIELDS} focus />
        {Object.keys(checked).length > 0 ? (
          <p className="alert" role="alert">
            Some answers are missing: they are marked below.
          </p>
        ) : null}
        <Field
          label="What is happening?"
          hint="A short title people will recognise."
          errors={errors("title")}
        >
          {(control) => (
            <input
              {...control}
              data-field="title"
              type="text"
              value={form.title}
              onChange={(e) => update("title", e.target.value)}
              maxLength={200}
            />
          )}
        </Field>

        <fieldset aria-describedby={errors("criteria").length ? "criteria-error" : undefined}>
          <legend>
            {plan.definition.intro || "An event becomes an incident if any one of the following is true:"}
          </legend>
          {plan.definition.criteria.map((criterion, index) => (
            <label key={criterion.id} className="choice">
              <input
                type="checkbox"
                data-field={index === 0 ? "criteria" : undefined}
                checked={form.criteria.includes(criterion.id)}
                onChange={(e) =>
                  update(
                    "criteria",
                    e.target.checked
                      ? [...form.criteria, criterion.id]
                      : form.criteria.filter((id) => id !== criterion.id),
                  )
                }
              />
              <span>{criterion.text}</span>
            </label>
          ))}
          <FieldErrors id="criteria-error" errors={errors("criteria")} />
          {form.criteria.length === 0 && form.title.trim() ? (
            <p>
              <button
                type="button"
                className="button button-small"
                disabled={logEvent.isPending}
                onClick={() => logEvent.mutate()}
              >
                None holds: log it as an event
              </button>
            </p>
          ) : null}
          <ErrorAlert error={logEvent.error} />
          {logged ? (
            <p className="notice" role="status">
              {logged}
            </p>
          ) : null}
        </fieldset>

        <fieldset aria-describedby={errors("severity").length ? "severity-error" : undefined}>
          <legend>Severity</legend>
          <p className="field-hint">If unsure between two levels, pick the higher one.</p>
          {plan.severities.map((severity, index) => (
            <label key={severity.id} className="choice choice-card" data-level={Math.min(index + 1, 4)}>
              <input
                type="radio"
                name="severity"
                data-field={index === 0 ? "severity" : undefined}
                value={severity.id}
                checked={form.severity === severity.id}
                onChange={() => update("severity", severity.id)}
              />
              <span className="choice-text">
                <strong>{severity.name}</strong>
                <span>{severity.description}</span>
                <span className="small muted">
                  Customer updates every {planDurationInWords(severity.update_every)}
                  {severity.page_out_of_hours ? "; pages out of hours" : "; working hours only"}
                </span>
              </span>
            </label>
          ))}
          <FieldErrors id="severity-error" errors={errors("severity")} />
        </fieldset>

        <Field
          label="What do we know so far? (optional)"
          hint="Shown in the status update templates as the summary."
          errors={errors("summary")}
        >
          {(control) => (
            <textarea
              {...control}
              rows={3}
              value={form.summary}
              onChange={(e) => update("summary", e.target.value)}
            />
          )}
        </Field>

        <ComponentsField
          plan={plan}
          value={form.components}
          onChange={(components) => update("components", components)}
          errors={errors("components")}
        />

        <fieldset>
          <legend>Who noticed it first?</legend>
          <div className="segmented">
            {(["monitoring", "customer", "employee"] as const).map((who) => (
              <label key={who}>
                <input
                  type="radio"
                  name="detectedBy"
                  checked={form.detectedBy === who}
                  onChange={() => update("detectedBy", who)}
                />
                {who === "monitoring" ? "Monitoring" : who === "customer" ? "A customer" : "One of us"}
              </label>
            ))}
          </div>
        </fieldset>

        <Field
          label="When did the impact start? (optional)"
          hint={`Leave empty for now. In your time zone, ${viewerTimeZone()}.`}
          errors={errors("impactStartedAt")}
        >
          {(control) => (
            <input
              {...control}
              data-field="impactStartedAt"
              type="datetime-local"
              value={form.impactStartedAt}
              onChange={(e) => update("impactStartedAt", e.target.value)}
            />
          )}
        </Field>

        <div className="switch">
          <input
            id="declare-private"
            type="checkbox"
            role="switch"
            aria-checked={form.private}
            checked={form.private}
            onChange={(e) => update("private", e.target.checked)}
            aria-describedby="declare-private-hint"
          />
          <label htmlFor="declare-private">
            <strong>Private</strong>{" "}
            <span id="declare-private-hint" className="small muted">
              Only admins, you and the role holders see it (for security incidents).
            </span>
          </label>
        </div>
        <div className="switch">
          <input
            id="declare-drill"
            type="checkbox"
            role="switch"
            aria-checked={form.drill}
            checked={form.drill}
            onChange={(e) => update("drill", e.target.checked)}
            aria-describedby="declare-drill-hint"
          />
          <label htmlFor="declare-drill">
            <strong>Drill</strong>{" "}
            <span id="declare-drill-hint" className="small muted">
              A practice incident: the whole flow, without reaching customers.
            </span>
          </label>
        </div>

        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={declare.isPending}>
            {declare.isPending ? "Declaring…" : form.drill ? "Declare drill" : "Declare incident"}
          </button>
          <button type="button" className="button button-quiet" onClick={clearDraft}>
            Clear the form
          </button>
        </div>
      </form>
    </>
  );
}
