import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { api, call } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import { ErrorAlert } from "../../components/error-alert";
import { Field, FieldErrors } from "../../components/field";
import { formatLocal, formatUtc, viewerTimeZone } from "../../lib/time";
import { useDraft } from "../../lib/use-draft";
import { zonedInputToIso } from "../../lib/zoned-time";
import {
  checkSchedule,
  emptySchedule,
  freshTimes,
  SCHEDULE_FIELDS,
  type ScheduleForm,
  toScheduleBody,
} from "./maintenance-form";
import { groupsOf } from "./overview";
import { type Maintenance, refreshMaintenances, type StatusPageInfo } from "./queries";

type PageComponent = StatusPageInfo["components"][number];

/** When a typed time is: in the viewer's words and in UTC, so a window across a clock change reads right. */
function TimeHint({ value, timeZone, start = false }: { value: string; timeZone: string; start?: boolean }) {
  const iso = zonedInputToIso(value, timeZone);
  if (!iso) return <>In your time zone, {timeZone}.</>;
  return (
    <>
      In your time zone, {timeZone}: {formatLocal(iso)} ({formatUtc(iso)}).
      {start && Date.parse(iso) < Date.now() ? (
        <strong> That is in the past: if it starts automatically, it starts at once.</strong>
      ) : null}
    </>
  );
}

/** Announces a maintenance: what, which components, when, and whether it runs on time by itself. */
export function ScheduleMaintenance({
  components,
  onDone,
  onCancel,
}: {
  components: readonly PageComponent[];
  onDone: (maintenance: Maintenance) => void;
  onCancel: () => void;
}) {
  const timeZone = viewerTimeZone();
  const initial = useMemo(() => emptySchedule(new Date(), timeZone), [timeZone]);
  const [form, setForm, clearDraft] = useDraft<ScheduleForm>("maintenance", initial);
  const [showChecks, setShowChecks] = useState(false);
  const client = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[data-field="title"]')?.focus();
  }, []);
  useEffect(() => {
    setForm((current) => freshTimes(current, new Date(), timeZone));
  }, [setForm, timeZone]);
  const schedule = useMutation({
    mutationFn: () =>
      call(
        "Could not schedule the maintenance",
        api.POST("/api/v1/maintenances", {
          body: toScheduleBody(
            form,
            timeZone,
            components.map((c) => c.id),
          ),
        }),
      ),
    onSuccess: (maintenance) => {
      clearDraft();
      refreshMaintenances(client);
      onDone(maintenance);
    },
  });
  const checks = showChecks ? checkSchedule(form, timeZone) : {};
  const problem = isApiError(schedule.error) ? schedule.error.problem : undefined;
  const errors = (field: string) => [...(checks[field] ? [checks[field]] : []), ...errorsFor(problem, field)];
  const update = <K extends keyof ScheduleForm>(key: K, value: ScheduleForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = checkSchedule(form, timeZone);
    setShowChecks(true);
    const first = SCHEDULE_FIELDS.find((f) => found[f]);
    if (first) {
      event.currentTarget.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    schedule.mutate();
  };

  return (
    <section className="panel" aria-labelledby="schedule-title" id="schedule-maintenance">
      <h2 id="schedule-title">Schedule maintenance</h2>
      <form ref={formRef} onSubmit={submit} noValidate className="form-narrow">
        <ErrorAlert
          error={schedule.error}
          fields={[...SCHEDULE_FIELDS, "autoStart", "autoComplete", "notify"]}
          focus
        />
        {Object.keys(checks).length > 0 ? (
          <p className="alert" role="alert">
            Some answers are missing: they are marked below.
          </p>
        ) : null}
        <Field
          label="Title"
          hint="What customers see in the list, such as “Database upgrade”."
          errors={errors("title")}
        >
          {(control) => (
            <input
              {...control}
              data-field="title"
              type="text"
              value={form.title}
              maxLength={200}
              onChange={(e) => update("title", e.target.value)}
            />
          )}
        </Field>
        <Field
          label="What will customers notice?"
          hint="What will happen, what will not work, and for how long."
          errors={errors("body")}
        >
          {(control) => (
            <textarea
              {...control}
              data-field="body"
              rows={3}
              value={form.body}
              onChange={(e) => update("body", e.target.value)}
            />
          )}
        </Field>
        <fieldset aria-describedby={errors("components").length ? "schedule-components-error" : undefined}>
          <legend>Components under maintenance</legend>
          {components.length === 0 ? (
            <p className="muted">The page has no components yet: add them under Components first.</p>
          ) : null}
          {groupsOf(components).map((group, index) => (
            <div key={group.name ?? group.components[0]?.id} className="component-checks">
              {group.name ? <p className="field-label small">{group.name}</p> : null}
              {group.components.map((c, i) => (
                <label key={c.id} className="choice">
                  <input
                    type="checkbox"
                    data-field={index === 0 && i === 0 ? "components" : undefined}
                    checked={form.components.includes(c.id)}
                    onChange={(e) =>
                      update(
                        "components",
                        e.target.checked
                          ? [...form.components, c.id]
                          : form.components.filter((id) => id !== c.id),
                      )
                    }
                  />
                  <span>{c.name}</span>
                </label>
              ))}
            </div>
          ))}
          <FieldErrors id="schedule-components-error" errors={errors("components")} />
        </fieldset>
        <div className="time-pair">
          <Field
            label="Starts"
            hint={<TimeHint value={form.scheduledFor} timeZone={timeZone} start />}
            errors={errors("scheduledFor")}
          >
            {(control) => (
              <input
                {...control}
                data-field="scheduledFor"
                type="datetime-local"
                value={form.scheduledFor}
                onChange={(e) => setForm((f) => ({ ...f, scheduledFor: e.target.value, timesEdited: true }))}
              />
            )}
          </Field>
          <Field
            label="Ends"
            hint={<TimeHint value={form.scheduledUntil} timeZone={timeZone} />}
            errors={errors("scheduledUntil")}
          >
            {(control) => (
              <input
                {...control}
                data-field="scheduledUntil"
                type="datetime-local"
                value={form.scheduledUntil}
                onChange={(e) =>
                  setForm((f) => ({ ...f, scheduledUntil: e.target.value, timesEdited: true }))
                }
              />
            )}
          </Field>
        </div>
        <fieldset>
          <legend>On time</legend>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.autoStart}
              onChange={(e) => update("autoStart", e.target.checked)}
            />
            <span>
              Start automatically
              <span className="field-hint"> — at the start time; otherwise someone posts “in progress”.</span>
            </span>
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.autoComplete}
              onChange={(e) => update("autoComplete", e.target.checked)}
            />
            <span>
              Complete automatically
              <span className="field-hint"> — at the end time; otherwise someone posts “completed”.</span>
            </span>
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.notify}
              onChange={(e) => update("notify", e.target.checked)}
            />
            <span>
              Notify subscribers
              <span className="field-hint">
                {" "}
                — tell the subscribers of these components that it is scheduled.
              </span>
            </span>
          </label>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={schedule.isPending}>
            {schedule.isPending ? "Scheduling…" : "Schedule maintenance"}
          </button>
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              clearDraft();
              setShowChecks(false);
              schedule.reset();
            }}
          >
            Clear the form
          </button>
        </div>
      </form>
    </section>
  );
}
