import { type Ref, useImperativeHandle, useRef } from "react";
import { lineCount, offsetOf } from "../../lib/text-position";

export interface YamlError {
  path: string;
  message: string;
  hint?: string;
  line: number;
  col: number;
}

interface Props {
  value: string;
  onChange: (value: string) => void;
  errors: YamlError[];
  readOnly: boolean;
  ref: Ref<{ goTo: (line: number, col: number) => void }>;
}

/** A plain textarea with line numbers; lines with an error are marked in the gutter. */
export function YamlEditor({ value, onChange, errors, readOnly, ref }: Props) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = lineCount(value);
  const errorLines = new Map(errors.map((e) => [e.line, e.message]));

  useImperativeHandle(ref, () => ({
    goTo(line, col) {
      const element = textarea.current;
      if (!element) return;
      const offset = offsetOf(value, line, col);
      element.focus();
      element.setSelectionRange(offset, offset);
      const lineHeight = Number.parseFloat(getComputedStyle(element).lineHeight) || 20;
      element.scrollTop = Math.max(0, (line - 5) * lineHeight);
    },
  }));

  return (
    <div className="editor">
      <div className="editor-gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => {
          const line = i + 1;
          const message = errorLines.get(line);
          return (
            <span key={line} className={message ? "error-line" : undefined} title={message}>
              {message ? "⚠ " : ""}
              {line}
            </span>
          );
        })}
      </div>
      <textarea
        ref={textarea}
        className="code"
        aria-label="Plan (YAML)"
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        readOnly={readOnly}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        aria-invalid={errors.length > 0}
        wrap="off"
      />
    </div>
  );
}
