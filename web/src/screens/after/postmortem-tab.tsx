import type { AfterTabProps } from "./after-tab";

/** Placeholder: the postmortem tab (draft, edit, publish) replaces this file. */
export function PostmortemTab({ incident }: AfterTabProps) {
  return (
    <section className="panel" aria-labelledby="postmortem-title">
      <h2 id="postmortem-title">Postmortem</h2>
      <p className="muted">The postmortem of {incident.reference} will be written here.</p>
    </section>
  );
}
