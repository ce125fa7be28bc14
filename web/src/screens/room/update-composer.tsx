import { type FormEvent, type KeyboardEvent, useEffect, useState } from "react";
import { errorsFor, isApiError } from "../../api/problem";
import { type Incident, type Phase, STATUSES } from "../../api/types";
import { UPDATE_COMPOSER_ID } from "../../app/use-global-shortcuts";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { usePostUpdate, usePreviewUpdate } from "./actions";
import { chosenChannels, confirmedShortened } from "./channel-choice";
import { ChannelPicker } from "./channel-picker";

type Audience = "external" | "internal";

interface Draft {
  /** null: follow the incident's status. */
  phase: Phase | null;
  audience: Audience;
  subject: string;
  body: string;
  /** The user changed the text: a phase change must not overwrite it. */
  edited: boolean;
}

/**
 * Writes a status update: it starts from the plan's template for the phase,
 * filled with the incident's facts by the API; the responder edits it,
 * previews it (variables filled again, each channel's version with its limit),
 * picks the channels and posts it.
 */
export function UpdateComposer({ incident }: { incident: Incident }) {
  const [draft, setDraft] = useState<Draft>({
    phase: null,
    audience: "external",
    subject: "",
    body: "",
    edited: false,
  });
  const phase = draft.phase ?? incident.status;
  const template = usePreviewUpdate(incident);
  const preview = usePreviewUpdate(incident);
  const post = usePostUpdate(incident);
  const problem = isApiError(post.error) ? post.error.problem : undefined;
  const [picked, setPicked] = useState<Record<string, boolean>>({});
  const [confirmed, setConfirmed] = useState<Record<string, boolean>>({});
  // The latest preview knows each channel's rendering of the text as it is now.
  const channels = preview.data?.channels ?? template.data?.channels ?? [];
  const chosen = chosenChannels(channels, picked);

  // Start from the phase's template, unless the user has written their own text.
  const { mutate: loadTemplate } = template;
  useEffect(() => {
    if (draft.edited) return;
    loadTemplate(
      { phase },
      {
        onSuccess: (filled) =>
          setDraft((d) => (d.edited ? d : { ...d, subject: filled.subject, body: filled.body })),
      },
    );
  }, [phase, draft.edited, loadTemplate]);

  const body = () => ({
    phase,
    ...(draft.subject.trim() ? { subject: draft.subject } : {}),
    ...(draft.body.trim() ? { body: draft.body } : {}),
  });
  const send = () => {
    if (post.isPending) return;
    post.mutate(
      {
        ...body(),
        channels: chosen,
        confirmShortened: confirmedShortened(channels, chosen, confirmed),
        // With channels, the server takes the audience from them.
        ...(chosen.length === 0 ? { audience: draft.audience } : {}),
      },
      {
        onSuccess: () => {
          preview.reset();
          setPicked({});
          setConfirmed({});
          setDraft((d) => ({ ...d, phase: null, edited: false, subject: "", body: "" }));
        },
      },
    );
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
    <form onSubmit={submit} onKeyDown={onKeyDown} aria-label="Write a status update">
      <div className="field">
        <label htmlFor={UPDATE_COMPOSER_ID}>
          Phase <span className="muted small">(press u to come here)</span>
        </label>
        <select
          id={UPDATE_COMPOSER_ID}
          value={phase}
          aria-keyshortcuts="u"
          onChange={(e) => setDraft((d) => ({ ...d, phase: e.target.value as Phase, edited: false }))}
        >
          {STATUSES.map((phase) => (
            <option key={phase} value={phase}>
              {phase.charAt(0).toUpperCase() + phase.slice(1)}
            </option>
          ))}
        </select>
      </div>
      {chosen.length === 0 ? (
        <fieldset className="segmented">
          <legend className="field-label">Record it as</legend>
          {(["external", "internal"] as const).map((audience) => (
            <label key={audience}>
              <input
                type="radio"
                name="update-audience"
                checked={draft.audience === audience}
                onChange={() => setDraft((d) => ({ ...d, audience }))}
              />
              {audience === "external" ? "Customers (external)" : "Team (internal)"}
            </label>
          ))}
        </fieldset>
      ) : null}
      {incident.drill ? (
        <p className="notice notice-warn small">
          This is a drill: only the channels the plan marks for drills apply; customers are not told.
        </p>
      ) : null}
      <ErrorAlert error={template.error} onRetry={() => loadTemplate({ phase })} />
      <Field label="Subject" errors={errorsFor(problem, "subject")}>
        {(control) => (
          <input
            {...control}
            type="text"
            value={draft.subject}
            onChange={(e) => setDraft((d) => ({ ...d, subject: e.target.value, edited: true }))}
          />
        )}
      </Field>
      <Field
        label="Message"
        hint="Filled from the plan's template; edit freely. {{ variables }} are filled in when you preview or post."
        errors={errorsFor(problem, "body")}
      >
        {(control) => (
          <textarea
            {...control}
            rows={8}
            value={draft.body}
            onChange={(e) => setDraft((d) => ({ ...d, body: e.target.value, edited: true }))}
          />
        )}
      </Field>
      <ChannelPicker
        channels={channels}
        chosen={chosen}
        confirmed={confirmed}
        onPick={(id, send) => setPicked((p) => ({ ...p, [id]: send }))}
        onConfirm={(id, ok) => setConfirmed((c) => ({ ...c, [id]: ok }))}
      />
      {preview.data ? (
        <section className="preview" aria-label="Preview">
          <p className="field-label small">Preview</p>
          <p className="role-holder">{preview.data.subject}</p>
          <div className="entry-body">{preview.data.body}</div>
        </section>
      ) : null}
      <ErrorAlert error={preview.error} />
      <ErrorAlert error={post.error} fields={["subject", "body"]} />
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={preview.isPending}
          onClick={() => preview.mutate(body())}
        >
          Preview
        </button>
        <button
          type="submit"
          className="button button-primary"
          disabled={post.isPending || template.isPending}
        >
          {post.isPending
            ? "Posting…"
            : chosen.length > 0
              ? `Post to ${chosen.length} channel${chosen.length === 1 ? "" : "s"}`
              : "Record update"}
        </button>
        {draft.edited ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => setDraft((d) => ({ ...d, edited: false }))}
          >
            Start again from the template
          </button>
        ) : null}
      </div>
    </form>
  );
}
