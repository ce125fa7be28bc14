import type { UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";
import type { Incident, TimelineEntry } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { useNow } from "../../lib/use-now";
import type { ResolveReadiness } from "./resolve-rule";
import { TimelineComposer } from "./timeline-composer";
import { isWritten, TimelineItem } from "./timeline-item";

interface Props {
  incident: Incident;
  timeline: UseQueryResult<{ items: TimelineEntry[] }>;
  readiness: ResolveReadiness;
}

/** The timeline, newest first, with the composer above it. */
export function TimelinePanel({ incident, timeline, readiness }: Props) {
  const user = useSession();
  const now = useNow();
  const [onlyWritten, setOnlyWritten] = useState(false);
  const entries = [...(timeline.data?.items ?? [])]
    .reverse()
    .filter((e) => !onlyWritten || isWritten(e.kind));
  return (
    <section className="panel" aria-labelledby="timeline-title">
      <div className="panel-header">
        <h2 id="timeline-title">Timeline</h2>
        <label className="choice small">
          <input type="checkbox" checked={onlyWritten} onChange={(e) => setOnlyWritten(e.target.checked)} />
          Only changes, decisions, fixes and notes
        </label>
      </div>
      {canRespond(user) ? <TimelineComposer incident={incident} readiness={readiness} /> : null}
      {timeline.isPending ? <Loading what="the timeline" /> : null}
      {timeline.error ? <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} /> : null}
      {timeline.data && entries.length === 0 ? <Empty>Nothing logged yet.</Empty> : null}
      <ol className="timeline" aria-label="Timeline, newest first">
        {entries.map((entry) => (
          <TimelineItem key={entry.id} entry={entry} incident={incident} readiness={readiness} now={now} />
        ))}
      </ol>
    </section>
  );
}
