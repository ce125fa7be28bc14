import { Link, useSearchParams } from "react-router";
import { planOf } from "../../api/plan";
import { useIncidentList, usePlanDocument } from "../../api/queries";
import type { Incident } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { useNow } from "../../lib/use-now";
import { useTitle } from "../../lib/use-title";
import { IncidentFilterBar } from "./filter-bar";
import { type ListFilters, listQueries, readFilters, writeFilters } from "./filters";
import { IncidentRow } from "./incident-row";

export function IncidentsScreen() {
  useTitle("Incidents");
  const user = useSession();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const queries = listQueries(filters);
  const active = useIncidentList(queries.active ?? {}, queries.active !== null);
  const rest = useIncidentList(queries.rest);
  const planDoc = usePlanDocument();
  const plan = planDoc.data ? planOf(planDoc.data) : undefined;
  const now = useNow();
  const setFilters = (next: ListFilters) => setParams(writeFilters(next), { replace: true });

  return (
    <>
      <div className="page-header">
        <h1>Incidents</h1>
        {canRespond(user) ? (
          <Link to="/incidents/new" className="button button-primary">
            Declare an incident <kbd>d</kbd>
          </Link>
        ) : null}
      </div>
      <IncidentFilterBar filters={filters} plan={plan} onChange={setFilters} />
      {queries.active ? (
        <Section
          title="Active"
          query={active}
          plan={plan}
          now={now}
          empty={
            <>
              <p>No active incidents.</p>
              {canRespond(user) ? <p>When something breaks, declare one: press d or use “Declare”.</p> : null}
            </>
          }
        />
      ) : null}
      <Section
        title={queries.active ? "Recently resolved" : "Matching incidents"}
        query={rest}
        plan={plan}
        now={now}
        empty={<p>No incidents match.</p>}
      />
    </>
  );
}

interface SectionProps {
  title: string;
  query: ReturnType<typeof useIncidentList>;
  plan: ReturnType<typeof planOf> | undefined;
  now: Date;
  empty: React.ReactNode;
}

function Section({ title, query, plan, now, empty }: SectionProps) {
  const items: Incident[] = query.data?.pages.flatMap((page) => page.items) ?? [];
  const id = `section-${title.toLowerCase().replaceAll(" ", "-")}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title}
        {query.data ? (
          <span className="muted small">
            {" "}
            ({items.length}
            {query.hasNextPage ? "+" : ""})
          </span>
        ) : null}
      </h2>
      {query.isPending ? <Loading what="incidents" /> : null}
      {query.error ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.data && items.length === 0 ? <Empty>{empty}</Empty> : null}
      {items.length > 0 ? (
        <ul className="incident-list">
          {items.map((incident) => (
            <IncidentRow key={incident.id} incident={incident} plan={plan} now={now} />
          ))}
        </ul>
      ) : null}
      {query.hasNextPage ? (
        <p>
          <button
            type="button"
            className="button"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? "Loading…" : "Show more"}
          </button>
        </p>
      ) : null}
    </section>
  );
}
