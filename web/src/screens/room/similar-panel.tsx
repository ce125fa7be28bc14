import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, call } from "../../api/client";
import type { components } from "../../api/schema";
import type { Incident } from "../../api/types";
import { ErrorAlert } from "../../components/error-alert";
import "./similar-panel.css";

type Similar = components["schemas"]["SimilarIncident"];
type Reason = components["schemas"]["SimilarReason"];

const POSTMORTEM_TEXT: Record<NonNullable<Similar["postmortem"]>["status"], string> = {
  draft: "Postmortem (draft)",
  in_review: "Postmortem (in review)",
  published: "Postmortem",
};

function reasonText(reason: Reason): string {
  const shared = reason.shared.slice(0, 6).join(", ");
  if (reason.kind === "alert") return `same alert (${shared})`;
  if (reason.kind === "components") return `same components (${shared})`;
  return `similar title (${shared})`;
}

/** The app's own path for a link the API gives absolute (the postmortem tab). */
function appPath(url: string): string {
  const path = new URL(url, window.location.origin).pathname;
  return path.replace(/^\/app(?=\/)/, "");
}

/**
 * Never the same incident twice: the past incidents most like this one, found
 * when it was declared, with their postmortems and the action items they left
 * open. A repeat (a similar incident whose action items were still open) is
 * said first, where nobody can miss it.
 */
export function SimilarPanel({ incident }: { incident: Incident }) {
  const similar = useQuery({
    queryKey: ["incident", incident.reference, "similar"],
    queryFn: () =>
      call(
        `Could not load the incidents like ${incident.reference}`,
        api.GET("/api/v1/incidents/{id}/similar", { params: { path: { id: incident.id } } }),
      ),
    staleTime: 60_000,
  });
  const items = similar.data?.items ?? [];
  const repeat = incident.repeatOf ? items.find((i) => i.id === incident.repeatOf?.id) : undefined;
  if (!similar.isPending && !similar.error && items.length === 0 && !incident.repeatOf) return null;

  return (
    <section className="panel similar-panel" aria-labelledby="similar-title">
      <h2 id="similar-title">Similar incidents</h2>
      {incident.repeatOf ? (
        <div className="notice notice-warn similar-repeat" role="note">
          <strong>
            Repeat of{" "}
            <Link to={`/incidents/${incident.repeatOf.reference}`}>{incident.repeatOf.reference}</Link>
          </strong>
          {repeat
            ? `: ${repeat.openActionItems.length} action item${repeat.openActionItems.length === 1 ? "" : "s"} still open.`
            : "."}
        </div>
      ) : null}
      <ErrorAlert error={similar.error} onRetry={() => void similar.refetch()} />
      {items.length > 0 ? (
        <ul className="similar-list">
          {items.map((item) => (
            <li key={item.id}>
              <p className="similar-head">
                <Link to={`/incidents/${item.reference}`}>{item.reference}</Link> {item.title}{" "}
                <span className="muted small">({Math.round(item.score * 100)}% alike)</span>
              </p>
              <p className="small muted">{item.reasons.map(reasonText).join("; ")}</p>
              {item.postmortem ? (
                <p className="small">
                  <Link to={appPath(item.postmortem.url)}>{POSTMORTEM_TEXT[item.postmortem.status]}</Link>
                  {item.postmortem.publicUrl ? (
                    <>
                      {" · "}
                      <a href={item.postmortem.publicUrl} target="_blank" rel="noreferrer noopener">
                        public version
                      </a>
                    </>
                  ) : null}
                </p>
              ) : null}
              {item.openActionItems.length > 0 ? (
                <details>
                  <summary className="small">
                    {item.openActionItems.length} action item{item.openActionItems.length === 1 ? "" : "s"}{" "}
                    still open
                  </summary>
                  <ul className="small">
                    {item.openActionItems.map((a) => (
                      <li key={a.id}>
                        {a.title}
                        {a.owner ? <span className="muted"> · {a.owner.name}</span> : null}
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
