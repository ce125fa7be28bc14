import { useEffect, useId, useRef, useState } from "react";

type CopyState = "idle" | "copied" | "select";

/** Puts text on the clipboard; without the Clipboard API (plain http), selects it for Ctrl+C instead. */
async function copyText(
  text: string,
  field: HTMLInputElement | HTMLTextAreaElement | null,
): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no permission): fall through to selecting it.
  }
  field?.focus();
  field?.select();
  return false;
}

/** A read-only value with a Copy button; the outcome is announced. */
export function CopyField({
  label,
  value,
  hint,
  multiline = false,
}: {
  label: string;
  value: string;
  hint?: string;
  multiline?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [state, setState] = useState<CopyState>("idle");
  useEffect(() => {
    if (state !== "copied") return;
    const timer = setTimeout(() => setState("idle"), 4_000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => setState((await copyText(value, ref.current)) ? "copied" : "select");
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        {multiline ? (
          <textarea
            id={id}
            ref={ref}
            className="code"
            readOnly
            rows={Math.min(value.split("\n").length + 1, 8)}
            value={value}
            aria-describedby={hint ? `${id}-hint` : undefined}
          />
        ) : (
          <input
            id={id}
            ref={ref}
            type="text"
            className="code"
            readOnly
            value={value}
            aria-describedby={hint ? `${id}-hint` : undefined}
          />
        )}
        <button type="button" className="button button-small" onClick={() => void copy()}>
          Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      <span role="status" className="small copy-state">
        {state === "copied" ? "Copied." : state === "select" ? "Selected: press Ctrl+C (⌘C) to copy." : ""}
      </span>
    </div>
  );
}
