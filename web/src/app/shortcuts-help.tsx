import { useEffect, useRef } from "react";
import { FIELD_SHORTCUTS, SHORTCUTS } from "../lib/shortcuts";

function Keys({ keys }: { keys: string }) {
  return (
    <>
      {keys.split(" ").map((key, i) => (
        <span key={key}>
          {i > 0 ? " then " : null}
          <kbd>{key}</kbd>
        </span>
      ))}
    </>
  );
}

/** The list of keyboard shortcuts, opened with `?`. */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl className="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <Keys keys={s.keys} />
            </dt>
            <dd>
              {s.description}
              {s.where ? <span className="muted"> (in the {s.where})</span> : null}
            </dd>
          </div>
        ))}
        {FIELD_SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.description}</dd>
          </div>
        ))}
      </dl>
      <p className="small muted">Every action can also be reached with Tab and Enter.</p>
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
