import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { api, call } from "../../api/client";
import { keys, usePlanDocument } from "../../api/queries";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { useDebounced } from "../../lib/use-debounced";
import { useTitle } from "../../lib/use-title";
import { YamlEditor, type YamlError } from "./yaml-editor";

/** Edits the plan as YAML: checked as you type (errors at their line), saved as a new version. */
export function PlanEditor() {
  useTitle("Edit the plan");
  const doc = usePlanDocument();
  // Kept here: saving makes a new version, which starts the editor afresh from it.
  const [saved, setSaved] = useState<number | null>(null);
  if (doc.isPending) return <Loading what="the plan" />;
  if (doc.error) return <ErrorAlert error={doc.error} onRetry={() => void doc.refetch()} />;
  return (
    <Editor
      key={doc.data.version}
      initial={doc.data.yaml}
      version={doc.data.version}
      saved={saved}
      setSaved={setSaved}
    />
  );
}

interface EditorProps {
  initial: string;
  version: number;
  saved: number | null;
  setSaved: (version: number | null) => void;
}

function Editor({ initial, version, saved, setSaved }: EditorProps) {
  const user = useSession();
  const isAdmin = user.role === "admin";
  const client = useQueryClient();
  const [text, setText] = useState(initial);
  const checked = useDebounced(text, 400);
  const editorRef = useRef<{ goTo: (line: number, col: number) => void }>(null);
  const validation = useQuery({
    queryKey: ["plan", "validate", checked],
    queryFn: () =>
      call("Could not check the plan", api.POST("/api/v1/plan/validate", { body: { yaml: checked } })),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const save = useMutation({
    mutationFn: () => call("Could not save the plan", api.PUT("/api/v1/plan", { body: { yaml: text } })),
    onSuccess: (next) => {
      setSaved(next.version);
      client.setQueryData(keys.plan, next);
      void client.invalidateQueries({ queryKey: keys.planVersions });
    },
  });
  useEffect(() => {
    if (text !== initial) setSaved(null);
  }, [text, initial, setSaved]);

  const errors: YamlError[] = validation.data?.errors ?? [];
  const upToDate = checked === text && !validation.isFetching;
  const changed = text !== initial;

  return (
    <>
      <div className="page-header">
        <h1>{isAdmin ? "Edit the plan" : "The plan as YAML"}</h1>
        <span className="muted">Current version {version}</span>
      </div>
      {!isAdmin ? <p className="notice">Only admins save the plan. You can check a change here.</p> : null}
      <div className="notice" role="status" aria-live="polite">
        {!upToDate ? (
          "Checking…"
        ) : errors.length === 0 ? (
          <strong>{changed ? "The plan is valid." : "No changes."}</strong>
        ) : (
          <>
            <strong>
              {errors.length} error{errors.length === 1 ? "" : "s"}
            </strong>{" "}
            — select one to go to its line.
          </>
        )}
        {errors.length > 0 ? (
          <ul className="errors-list">
            {errors.map((e) => (
              <li key={`${e.line}:${e.col}:${e.path}:${e.message}`}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => editorRef.current?.goTo(e.line, e.col)}
                >
                  Line {e.line}, column {e.col}
                </button>
                : <code>{e.path}</code> {e.message}
                {e.hint ? <span className="muted"> ({e.hint})</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <ErrorAlert error={validation.error} />
      <YamlEditor ref={editorRef} value={text} onChange={setText} errors={errors} readOnly={false} />
      <ErrorAlert error={save.error} focus />
      {saved ? (
        <p className="notice notice-ok" role="status">
          Saved as version {saved}. <Link to="/plan">Read the sheet</Link>
        </p>
      ) : null}
      <div className="button-row spaced">
        {isAdmin ? (
          <button
            type="button"
            className="button button-primary"
            disabled={!changed || save.isPending}
            onClick={() => save.mutate()}
          >
            {save.isPending ? "Saving…" : "Save as a new version"}
          </button>
        ) : null}
        <button type="button" className="button" disabled={!changed} onClick={() => setText(initial)}>
          Undo all changes
        </button>
      </div>
    </>
  );
}
