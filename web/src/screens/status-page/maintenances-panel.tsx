import { useRef, useState } from "react";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { type ComponentNames, MaintenanceCard } from "./maintenance-card";
import { type MaintenanceList, useMaintenances, useStatusPage } from "./queries";
import { ScheduleMaintenance } from "./schedule-form";

const LISTS: Array<{ list: MaintenanceList; title: string; empty: string }> = [
  { list: "active", title: "In progress", empty: "No maintenance in progress." },
  { list: "upcoming", title: "Upcoming", empty: "Nothing scheduled." },
  { list: "completed", title: "Completed", empty: "None completed yet." },
];

/** Maintenances in progress, upcoming and completed; responders schedule them and move them on. */
export function MaintenancesPanel() {
  useTitle("Maintenances");
  const user = useSession();
  const page = useStatusPage();
  const [scheduling, setScheduling] = useState(false);
  const [scheduled, setScheduled] = useState<string | null>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const components = page.data?.components ?? [];
  // The server keeps a maintenance's components as a set: shown here in page order, by name.
  const componentNames = (ids: readonly string[]) => {
    const order = (id: string) => {
      const at = components.findIndex((c) => c.id === id);
      return at === -1 ? components.length : at;
    };
    return [...ids]
      .sort((a, b) => order(a) - order(b))
      .map((id) => ({ id, name: components.find((c) => c.id === id)?.name ?? id }));
  };
  const responder = canRespond(user);
  const close = () => {
    setScheduling(false);
    toggle.current?.focus();
  };
  return (
    <>
      <div className="page-header">
        <h1>Maintenances</h1>
        {responder ? (
          <button
            ref={toggle}
            type="button"
            className="button button-primary"
            aria-expanded={scheduling}
            aria-controls={scheduling ? "schedule-maintenance" : undefined}
            onClick={() => {
              setScheduled(null);
              setScheduling((open) => !open);
            }}
          >
            Schedule maintenance
          </button>
        ) : null}
      </div>
      {!responder ? (
        <p className="notice">
          You are a viewer: responders and admins schedule maintenances and post updates.
        </p>
      ) : null}
      {scheduling && page.isPending ? <Loading what="the components" /> : null}
      <ErrorAlert error={page.error} onRetry={() => void page.refetch()} />
      {scheduling && page.data ? (
        <ScheduleMaintenance
          components={page.data.components}
          onDone={(maintenance) => {
            setScheduled(maintenance.title);
            close();
          }}
          onCancel={close}
        />
      ) : null}
      {scheduled ? (
        <p className="notice notice-ok" role="status">
          Scheduled “{scheduled}”. The public page shows it.
        </p>
      ) : null}
      {LISTS.map(({ list, title, empty }) => (
        <MaintenanceSection
          key={list}
          list={list}
          title={title}
          empty={empty}
          componentNames={componentNames}
          canPost={responder}
        />
      ))}
    </>
  );
}

const FIRST_COMPLETED = 10;

function MaintenanceSection({
  list,
  title,
  empty,
  componentNames,
  canPost,
}: {
  list: MaintenanceList;
  title: string;
  empty: string;
  componentNames: ComponentNames;
  canPost: boolean;
}) {
  const items = useMaintenances(list);
  const [all, setAll] = useState(list !== "completed");
  const headingId = `maintenances-${list}`;
  const shown = all ? (items.data?.items ?? []) : (items.data?.items ?? []).slice(0, FIRST_COMPLETED);
  const total = items.data?.items.length ?? 0;
  return (
    <section aria-labelledby={headingId} className="maintenance-section">
      <h2 id={headingId}>
        {title}
        {items.data ? <span className="muted small"> ({items.data.items.length})</span> : null}
      </h2>
      {items.isPending ? <Loading what={`${title.toLowerCase()} maintenances`} /> : null}
      <ErrorAlert error={items.error} onRetry={() => void items.refetch()} />
      {items.data && items.data.items.length === 0 ? <Empty>{empty}</Empty> : null}
      {shown.map((m) => (
        <MaintenanceCard key={m.id} maintenance={m} componentNames={componentNames} canPost={canPost} />
      ))}
      {list === "completed" && total > FIRST_COMPLETED ? (
        <button
          type="button"
          className="button button-small"
          aria-expanded={all}
          onClick={() => setAll(!all)}
        >
          {all ? `Show the latest ${FIRST_COMPLETED} only` : `Show all ${total}`}
        </button>
      ) : null}
    </section>
  );
}
