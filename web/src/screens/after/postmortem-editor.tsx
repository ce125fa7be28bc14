import { useEffect, useId, useState } from "react";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Loading } from "../../components/states";
import { usePreview } from "./postmortem-queries";

/** HTML the server rendered and sanitized (allow-listed tags, safe links only). */
export function Rendered({ html, label }: { html: string; label: string }) {
  return (
    <article
      className="postmortem-prose"
      aria-label={label}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server (src/shared/markdown.ts)
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

/** A Markdown textarea with a Write / Preview switch; the preview is the server's rendering. */
export function MarkdownEditor(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  savedHtml: string | null;
  savedText: string;
  errors?: string[];
  rows?: number;
}) {
  const [mode, setMode] = useState<"write" | "preview">("write");
  const name = useId();
  const dirty = props.value !== props.savedText;
  const preview = usePreview(props.value, mode === "preview" && (dirty || props.savedHtml === null));
  const html = !dirty && props.savedHtml !== null ? props.savedHtml : preview.data?.html;
  return (
    <div>
      <fieldset className="segmented" aria-label={`${props.label}: write or preview`}>
        {(["write", "preview"] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={name} checked={mode === m} onChange={() => setMode(m)} />
            {m === "write" ? "Write" : "Preview"}
          </label>
        ))}
      </fieldset>
      {mode === "write" ? (
        <Field
          label={props.label}
          hint="Markdown. Comments (<!-- … -->) are hints for writers and are never shown."
          errors={props.errors ?? []}
        >
          {(control) => (
            <textarea
              {...control}
              className="code"
              rows={props.rows ?? 24}
              value={props.value}
              spellCheck
              onChange={(event) => props.onChange(event.target.value)}
            />
          )}
        </Field>
      ) : (
        <div className="postmortem-preview">
          <ErrorAlert error={preview.error} />
          {html === undefined ? (
            <Loading what="the preview" />
          ) : (
            <Rendered html={html} label={`${props.label}, preview`} />
          )}
        </div>
      )}
    </div>
  );
}

/**
 * Text being edited against the server's copy: it follows the server's copy
 * (a save elsewhere, a live refresh) while untouched; `reset` goes back to the
 * server's copy, `accept` takes a copy just saved as the new starting point.
 */
export function useEdited(serverText: string) {
  const [base, setBase] = useState(serverText);
  const [text, setText] = useState(serverText);
  const dirty = text !== base;
  useEffect(() => {
    if (!dirty) {
      setBase(serverText);
      setText(serverText);
    }
  }, [serverText, dirty]);
  const accept = (saved: string) => {
    setBase(saved);
    setText(saved);
  };
  return { text, setText, dirty, reset: () => accept(serverText), accept };
}
