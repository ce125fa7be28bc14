import { CopyField } from "../../components/copy-field";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { Duration, Time } from "../../components/time";
import { useNow } from "../../lib/use-now";
import { useTitle } from "../../lib/use-title";
import { ComponentStatusBadge } from "./page-badges";
import { type StatusPageInfo, useStatusPage } from "./queries";

type PageComponent = StatusPageInfo["components"][number];

interface Group {
  name: string | null;
  components: PageComponent[];
}

/** Components grouped as on the public page: a group where its first component is, the rest alone. */
export function groupsOf(components: readonly PageComponent[]): Group[] {
  const groups: Group[] = [];
  const byName = new Map<string, Group>();
  for (const component of components) {
    if (!component.group) {
      groups.push({ name: null, components: [component] });
      continue;
    }
    let group = byName.get(component.group);
    if (!group) {
      group = { name: component.group, components: [] };
      byName.set(component.group, group);
      groups.push(group);
    }
    group.components.push(component);
  }
  return groups;
}

/** The page as visitors see it now: overall status, each component, freshness, and ways to share it. */
export function StatusPageOverview() {
  useTitle("Status page");
  const page = useStatusPage({ fresh: true });
  const now = useNow();
  if (page.isPending) return <Loading what="the status page" />;
  if (page.error) return <ErrorAlert error={page.error} onRetry={() => void page.refetch()} />;
  const info = page.data;
  return (
    <>
      <div className="page-header">
        <h1>{info.settings.name}</h1>
        <a className="button" href={info.url} target="_blank" rel="noopener">
          Open the public page<span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </div>
      <p className="page-status" data-indicator={info.status.indicator}>
        <span className="muted small">Overall status</span>
        <strong>{info.status.description}</strong>
      </p>
      {info.stale ? (
        <div className="notice notice-warn" role="alert">
          <p className="alert-title">Visitors see an older rendering</p>
          <p>
            The page could not be refreshed from the store, so it keeps showing what it rendered
            {info.renderedAt ? (
              <>
                {" "}
                at <Time iso={info.renderedAt} />
              </>
            ) : null}
            . It tries again on its own; the server's log says why it failed.
          </p>
        </div>
      ) : null}
      <p className="small muted">
        {info.renderedAt ? (
          <>
            Rendered at <Time iso={info.renderedAt} now={now} /> (
            <Duration from={info.renderedAt} now={now} /> ago). It renders again after every change.
          </>
        ) : (
          "Not rendered yet."
        )}{" "}
        Public address: <a href={info.url}>{info.url}</a>
      </p>

      <section aria-labelledby="overview-components">
        <h2 id="overview-components">Components</h2>
        {info.components.length === 0 ? (
          <p className="muted">No components yet: add them under Components.</p>
        ) : (
          <ul className="page-groups">
            {groupsOf(info.components).map((group) => (
              <li key={group.name ?? group.components[0]?.id} className="page-group">
                {group.name ? <h3 className="page-group-name">{group.name}</h3> : null}
                <ul className="page-components">
                  {group.components.map((c) => (
                    <li key={c.id}>
                      <span className="page-component-name">
                        {c.name}
                        {c.onlyShowIfDegraded && c.status === "operational" ? (
                          <span className="small muted"> (hidden while operational)</span>
                        ) : null}
                      </span>
                      <ComponentStatusBadge status={c.status} />
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="overview-share" className="spaced">
        <h2 id="overview-share">Share the page</h2>
        <div className="share-grid">
          <div className="panel">
            <h3>Status widget</h3>
            <CopyField
              label="Widget snippet"
              value={info.widgetSnippet}
              multiline
              hint="Paste it into any web page: it shows the overall status as a link to this page."
            />
          </div>
          <div className="panel">
            <h3>Badge</h3>
            <p className="badge-preview">
              <img src={`${info.basePath}badge.svg`} alt={`Status badge: ${info.status.description}`} />
            </p>
            <CopyField label="Badge URL" value={info.badgeUrl} hint="An SVG image, for a README or a wiki." />
          </div>
          <div className="panel">
            <h3>Feeds</h3>
            <CopyField label="RSS feed" value={info.feeds.rss} />
            <CopyField
              label="Atom feed"
              value={info.feeds.atom}
              hint="Incidents and maintenances, newest first."
            />
          </div>
        </div>
      </section>
    </>
  );
}
