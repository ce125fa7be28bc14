import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Link } from "react-router";
import { api, call } from "../../api/client";
import { keys, refreshIncident, useMyPages } from "../../api/queries";
import type { Paging } from "../../api/types";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { Duration, Time } from "../../components/time";
import { useNow } from "../../lib/use-now";

/** The pages waiting for me, newest first, each with its Acknowledge button. */
export function OpenPages() {
  const pages = useMyPages("open", { poll: true });
  const now = useNow();
  const [acknowledged, setAcknowledged] = useState<Paging | null>(null);
  const items = pages.data?.items ?? [];
  return (
    <section aria-labelledby="open-pages-title" className="open-pages">
      <h2 id="open-pages-title">
        Open pages
        {pages.data ? <span className="muted small"> ({items.length})</span> : null}
      </h2>
      {acknowledged ? (
        <p className="notice notice-ok" role="status">
          You acknowledged the page for{" "}
          <Link to={`/incidents/${encodeURIComponent(acknowledged.incident.reference)}`}>
            {acknowledged.incident.reference}
          </Link>
          : nobody else is paged as {acknowledged.roleName}.
        </p>
      ) : null}
      {pages.isPending ? <Loading what="your pages" /> : null}
      <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} />
      {pages.data && items.length === 0 ? <Empty>Nothing is waiting for you.</Empty> : null}
      <ul className="page-cards">
        {items.map((page) => (
          <li key={page.id}>
            <PageCard page={page} now={now} onAcknowledged={setAcknowledged} />
          </li>
        ))}
      </ul>
    </section>
  );
}

const NOTIFICATION_TEXT: Record<string, string> = {
  queued: "due",
  sent: "sent",
  failed: "failed, trying again",
  dead: "could not be sent",
  cancelled: "cancelled",
};

function PageCard({
  page,
  now,
  onAcknowledged,
}: {
  page: Paging;
  now: Date;
  onAcknowledged: (page: Paging) => void;
}) {
  const client = useQueryClient();
  const titleId = useId();
  const { incident } = page;
  const ack = useMutation({
    mutationFn: () =>
      call(
        `Could not acknowledge the page for ${incident.reference}`,
        api.POST("/api/v1/pages/{pageId}/ack", { params: { path: { pageId: page.id } } }),
      ),
    onSuccess: (answer) => {
      onAcknowledged(answer);
      void client.invalidateQueries({ queryKey: keys.pages });
      refreshIncident(client, incident);
    },
  });
  return (
    <article className="page-card" data-status={page.status} aria-labelledby={titleId}>
      <h3 id={titleId}>
        <Link to={`/incidents/${encodeURIComponent(incident.reference)}`}>
          {incident.reference} {incident.title}
        </Link>
      </h3>
      <dl className="page-facts small">
        <div>
          <dt>Role</dt>
          <dd>
            {page.roleName} ({page.stageLabel})
          </dd>
        </div>
        <div>
          <dt>Paged</dt>
          <dd>
            <Time iso={page.createdAt} now={now} /> (<Duration from={page.createdAt} now={now} /> ago)
          </dd>
        </div>
        <div>
          <dt>Severity</dt>
          <dd>{incident.severity}</dd>
        </div>
        {page.status === "superseded" ? (
          <div>
            <dt>Escalated</dt>
            <dd>the next stage was paged too; you can still take it</dd>
          </div>
        ) : null}
      </dl>
      {page.notifications.length > 0 ? (
        <ul className="page-notifications small muted">
          {page.notifications.map((n) => (
            <li key={n.id}>
              {n.kind}
              {n.address ? ` to ${n.address}` : ""}: {NOTIFICATION_TEXT[n.state] ?? n.state}
              {n.sentAt ? (
                <>
                  {" "}
                  <Time iso={n.sentAt} now={now} />
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorAlert error={ack.error} />
      <button
        type="button"
        className="button button-primary"
        disabled={ack.isPending}
        onClick={() => ack.mutate()}
      >
        {ack.isPending ? "Acknowledging…" : "Acknowledge"}
        <span className="visually-hidden"> the page for {incident.reference}</span>
      </button>
    </article>
  );
}
