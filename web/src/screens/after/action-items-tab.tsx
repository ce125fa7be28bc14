import type { AfterTabProps } from "./after-tab";

/** Placeholder: the action items tab (owners, due dates, status) replaces this file. */
export function ActionItemsTab({ incident }: AfterTabProps) {
  return (
    <section className="panel" aria-labelledby="action-items-title">
      <h2 id="action-items-title">Action items</h2>
      <p className="muted">The action items of {incident.reference} will be listed here.</p>
    </section>
  );
}
