import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { api, call } from "../../api/client";
import { planOf } from "../../api/plan";
import { describeIssue, isApiError } from "../../api/problem";
import { usePlanDocument } from "../../api/queries";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field, FieldErrors } from "../../components/field";
import { Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { type PageSettings, storePage, useStatusPage } from "./queries";
import {
  COLOR,
  checkSettings,
  formOf,
  MAX_LINKS,
  SETTINGS_FIELDS,
  type SettingsForm,
  settingsFieldOf,
  settingsPatch,
} from "./settings-form";

/** The plan's own paths for the same settings, so the alert does not repeat what the fields show. */
const PLAN_FIELDS = ["name", "description", "logo_url", "brand_color", "timezone", "links"].map(
  (f) => `status_page.${f}`,
);

/** The page's name, words, logo, colour, time zone and links: admins change them, others read them. */
export function SettingsPanel() {
  useTitle("Status page settings");
  const user = useSession();
  const page = useStatusPage();
  const planDoc = usePlanDocument();
  const orgTimeZone = planDoc.data ? planOf(planDoc.data).organization.timezone : undefined;
  if (page.isPending) return <Loading what="the settings" />;
  if (page.error) return <ErrorAlert error={page.error} onRetry={() => void page.refetch()} />;
  return user.role === "admin" ? (
    <SettingsEditor settings={page.data.settings} orgTimeZone={orgTimeZone} />
  ) : (
    <SettingsView settings={page.data.settings} />
  );
}

function SettingsView({ settings }: { settings: PageSettings }) {
  return (
    <>
      <h1>Settings</h1>
      <p className="notice">Only admins change the page's settings. They are kept in the plan.</p>
      <dl className="settings-list">
        <dt>Name</dt>
        <dd>{settings.name}</dd>
        <dt>Description</dt>
        <dd>{settings.description ?? <span className="muted">none</span>}</dd>
        <dt>Logo</dt>
        <dd>{settings.logoUrl ?? <span className="muted">none: the name is shown as text</span>}</dd>
        <dt>Brand colour</dt>
        <dd>
          <span className="swatch" style={{ background: settings.brandColor }} aria-hidden="true" />{" "}
          <code>{settings.brandColor}</code>
        </dd>
        <dt>Time zone</dt>
        <dd>{settings.timezone}</dd>
        <dt>Links</dt>
        <dd>
          {settings.links.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul>
              {settings.links.map((link) => (
                <li key={`${link.label}:${link.url}`}>
                  {link.label}: <a href={link.url}>{link.url}</a>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </>
  );
}

function timeZoneNames(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

function SettingsEditor({
  settings,
  orgTimeZone,
}: {
  settings: PageSettings;
  orgTimeZone: string | undefined;
}) {
  const client = useQueryClient();
  const serverForm = useMemo(() => formOf(settings), [settings]);
  const [base, setBase] = useState(serverForm);
  const [form, setForm] = useState(serverForm);
  const [showChecks, setShowChecks] = useState(false);
  const [saved, setSaved] = useState(false);
  const nextKey = useRef(1);
  const pendingFocus = useRef<(() => void) | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const zones = useMemo(timeZoneNames, []);

  const patch = settingsPatch(base, form);
  const dirty = Object.keys(patch).length > 0;
  const changedElsewhere = Object.keys(settingsPatch(base, serverForm)).length > 0;
  useEffect(() => {
    if (!dirty && changedElsewhere) {
      setBase(serverForm);
      setForm(serverForm);
    }
  }, [dirty, changedElsewhere, serverForm]);
  useEffect(() => {
    if (!pendingFocus.current) return;
    pendingFocus.current();
    pendingFocus.current = null;
  });

  const save = useMutation({
    mutationFn: () =>
      call("Could not save the settings", api.PUT("/api/v1/statuspage/settings", { body: patch })),
    onSuccess: (answer) => {
      const next = formOf(answer);
      setBase(next);
      setForm(next);
      setShowChecks(false);
      setSaved(true);
      storePage(client, { settings: answer });
    },
  });

  const checks = showChecks ? checkSettings(form) : {};
  const problem = isApiError(save.error) ? save.error.problem : undefined;
  const errorsAt = (path: string) => [
    ...(checks[path] ? [checks[path]] : []),
    ...(problem?.errors ?? []).filter((issue) => settingsFieldOf(issue.path) === path).map(describeIssue),
  ];
  const update = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setSaved(false);
  };
  const updateLink = (index: number, change: { label?: string; url?: string }) =>
    update(
      "links",
      form.links.map((link, i) => (i === index ? { ...link, ...change } : link)),
    );
  const focusLink = (key: string) => () =>
    formRef.current?.querySelector<HTMLElement>(`[data-link="${CSS.escape(key)}"]`)?.focus();
  const addLink = () => {
    const key = `new:${nextKey.current++}`;
    pendingFocus.current = focusLink(key);
    update("links", [...form.links, { key, label: "", url: "" }]);
  };
  const removeLink = (index: number) => {
    const next = form.links.filter((_, i) => i !== index);
    const neighbour = next[index] ?? next[index - 1];
    pendingFocus.current = neighbour
      ? focusLink(neighbour.key)
      : () => document.getElementById(`${id}-add-link`)?.focus();
    update("links", next);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = checkSettings(form);
    setShowChecks(true);
    const order = [
      ...SETTINGS_FIELDS.filter((f) => f !== "links"),
      "links",
      ...form.links.flatMap((_, i) => [`links.${i}.label`, `links.${i}.url`]),
    ];
    const first = order.find((f) => found[f]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    if (dirty) save.mutate();
  };

  const colorValid = COLOR.test(form.brandColor.trim());
  return (
    <>
      <h1>Settings</h1>
      <p className="muted">Saved in the plan's status_page section as a new version.</p>
      {dirty && changedElsewhere ? (
        <p className="notice notice-warn" role="status">
          Someone else changed the settings since you started. Saving keeps their changes to the fields you
          did not touch.
        </p>
      ) : null}
      <form ref={formRef} onSubmit={submit} noValidate className="form-narrow" aria-label="Settings">
        <ErrorAlert error={save.error} fields={[...SETTINGS_FIELDS, ...PLAN_FIELDS]} focus />
        {Object.keys(checks).length > 0 ? (
          <p className="alert" role="alert">
            Some settings need fixing: they are marked below.
          </p>
        ) : null}
        <Field
          label="Name"
          hint="The page's title, and the name in emails and feeds."
          errors={errorsAt("name")}
        >
          {(control) => (
            <input
              {...control}
              data-field="name"
              type="text"
              value={form.name}
              maxLength={100}
              onChange={(e) => update("name", e.target.value)}
            />
          )}
        </Field>
        <Field label="Description (optional)" hint="A line under the title." errors={errorsAt("description")}>
          {(control) => (
            <textarea
              {...control}
              data-field="description"
              rows={2}
              value={form.description}
              maxLength={500}
              onChange={(e) => update("description", e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Logo URL (optional)"
          hint="An http(s) image. Without one, the page shows its name as text."
          errors={errorsAt("logoUrl")}
        >
          {(control) => (
            <input
              {...control}
              data-field="logoUrl"
              type="url"
              value={form.logoUrl}
              onChange={(e) => update("logoUrl", e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Brand colour"
          hint="Links, buttons and focus rings on the page, as #rrggbb."
          errors={errorsAt("brandColor")}
        >
          {(control) => (
            <div className="color-row">
              <input
                type="color"
                aria-label="Pick the brand colour"
                value={colorValid ? form.brandColor.trim().toLowerCase() : base.brandColor.toLowerCase()}
                onChange={(e) => update("brandColor", e.target.value)}
              />
              <input
                {...control}
                data-field="brandColor"
                type="text"
                className="code"
                value={form.brandColor}
                maxLength={7}
                spellCheck={false}
                onChange={(e) => update("brandColor", e.target.value)}
              />
            </div>
          )}
        </Field>
        <Field
          label="Time zone (optional)"
          hint={`Days and times on the page, such as Europe/Lisbon. Empty: the organization's${orgTimeZone ? `, ${orgTimeZone}` : ""}.`}
          errors={errorsAt("timezone")}
        >
          {(control) => (
            <input
              {...control}
              data-field="timezone"
              type="text"
              list={`${id}-zones`}
              value={form.timezone}
              autoCapitalize="none"
              spellCheck={false}
              onChange={(e) => update("timezone", e.target.value)}
            />
          )}
        </Field>
        <datalist id={`${id}-zones`}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <fieldset>
          <legend>Links (up to {MAX_LINKS})</legend>
          <p className="field-hint">In the page's header: your site, a help centre, terms.</p>
          <FieldErrors errors={errorsAt("links")} />
          {form.links.length > 0 ? (
            <ol className="link-rows">
              {form.links.map((link, index) => (
                <li key={link.key}>
                  <Field label={`Link ${index + 1} label`} errors={errorsAt(`links.${index}.label`)}>
                    {(control) => (
                      <input
                        {...control}
                        data-link={link.key}
                        data-field={`links.${index}.label`}
                        type="text"
                        value={link.label}
                        maxLength={60}
                        onChange={(e) => updateLink(index, { label: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field label={`Link ${index + 1} URL`} errors={errorsAt(`links.${index}.url`)}>
                    {(control) => (
                      <input
                        {...control}
                        data-field={`links.${index}.url`}
                        type="url"
                        value={link.url}
                        onChange={(e) => updateLink(index, { url: e.target.value })}
                      />
                    )}
                  </Field>
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    onClick={() => removeLink(index)}
                  >
                    Remove link {index + 1}
                  </button>
                </li>
              ))}
            </ol>
          ) : null}
          <p>
            <button
              type="button"
              id={`${id}-add-link`}
              className="button button-small"
              disabled={form.links.length >= MAX_LINKS}
              onClick={addLink}
            >
              Add a link
            </button>
            {form.links.length >= MAX_LINKS ? (
              <span className="field-hint"> The page has room for {MAX_LINKS} links.</span>
            ) : null}
          </p>
        </fieldset>
        {saved ? (
          <p className="notice notice-ok" role="status">
            Saved as a new plan version. The public page shows it within a few seconds.
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={!dirty || save.isPending}>
            {save.isPending ? "Saving…" : "Save settings"}
          </button>
          <button
            type="button"
            className="button"
            disabled={!dirty}
            onClick={() => {
              setShowChecks(false);
              save.reset();
              setForm(base);
            }}
          >
            Undo all changes
          </button>
        </div>
      </form>
    </>
  );
}
