import { type FormEvent, type KeyboardEvent, useId } from "react";
import { errorsFor, isApiError } from "../../api/problem";
import { ENTRY_KINDS, type EntryKind, type Incident } from "../../api/types";
import { TIMELINE_COMPOSER_ID } from "../../app/use-global-shortcuts";
import { ErrorAlert } from "../../components/error-alert";
import { FieldErrors } from "../../components/field";
import { useDraft } from "../../lib/use-draft";
import { useAppendEntry } from "./actions";
import { type ResolveReadiness, shortRoleName } from "./resolve-rule";

const KIND_TEXT: Record<EntryKind, string> = {
  change: "Change",
  decision: "Decision",
  fix: "Fix",
  note: "Note",
};

interface Draft {
  kind: EntryKind;
  body: string;
  final: boolean;
}
const EMPTY: Draft = { kind: "note", body: "", final: false };

/** Logs a change, decision, fix or note; Ctrl+Enter sends. What is typed survives a failed send and a reload. */
export function TimelineComposer({
  incident,
  readiness,
}: {
  incident: Incident;
  readiness: ResolveReadiness;
}) {
  const [draft, setDraft, clear] = useDraft<Draft>(`timeline.${incident.id}`, EMPTY);
  const append = useAppendEntry(incident);
  const id = useId();
  const problem = isApiError(append.error) ? append.error.problem : undefined;
  const bodyErrors = errorsFor(problem, "body");

  const send = () => {
    if (!draft.body.trim() || append.isPending) return;
    append.mutate(
      {
        kind: draft.kind,
        body: draft.body.trim(),
        ...(draft.kind === "fix" && draft.final ? { final: true } : {}),
      },
      { onSuccess: clear },
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
  const lead = shortRoleName(readiness.lead);

  return (
    <form onSubmit={submit} aria-label="Add to the timeline" onKeyDown={onKeyDown}>
      <fieldset className="segmented">
        <legend className="visually-hidden">Kind of entry</legend>
        {ENTRY_KINDS.map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={draft.kind === kind}
              onChange={() => setDraft((d) => ({ ...d, kind }))}
            />
            {KIND_TEXT[kind]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={TIMELINE_COMPOSER_ID}>
          What happened? <span className="muted small">(press c to come here)</span>
        </label>
        <textarea
          id={TIMELINE_COMPOSER_ID}
          rows={3}
          value={draft.body}
          aria-invalid={bodyErrors.length > 0}
          aria-describedby={`${id}-hint`}
          aria-keyshortcuts="c"
          onChange={(e) => setDraft((d) => ({ ...d, body: e.target.value }))}
        />
        <FieldErrors errors={bodyErrors} />
        <span id={`${id}-hint`} className="field-hint">
          Ctrl+Enter adds it.
        </span>
      </div>
      {draft.kind === "fix" ? (
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.final}
            onChange={(e) => setDraft((d) => ({ ...d, final: e.target.checked }))}
          />
          <span>
            This is the final fix
            <span className="field-hint">
              {" "}
              — {readiness.isLead ? `as the ${lead}, yours is confirmed at once` : `the ${lead} confirms it`}.
            </span>
          </span>
        </label>
      ) : null}
      <ErrorAlert error={append.error} fields={["body", "kind", "final"]} />
      <FieldErrors errors={errorsFor(problem, "final")} />
      <button
        type="submit"
        className="button button-primary"
        disabled={append.isPending || !draft.body.trim()}
      >
        {append.isPending ? "Adding…" : `Add ${KIND_TEXT[draft.kind].toLowerCase()}`}
      </button>
    </form>
  );
}
