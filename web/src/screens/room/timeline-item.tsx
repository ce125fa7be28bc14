import type { Incident, TimelineEntry } from "../../api/types";
import { ErrorAlert } from "../../components/error-alert";
import { Time } from "../../components/time";
import { useConfirmFix } from "./actions";
import { canConfirm, type ResolveReadiness, shortRoleName } from "./resolve-rule";

const LABELS: Record<string, string> = {
  change: "Change",
  decision: "Decision",
  fix: "Fix",
  note: "Note",
  declared: "Declared",
  status_changed: "Status",
  reopened: "Reopened",
  role_assigned: "Role",
  checklist: "Checklist",
  severity_changed: "Severity",
  components_changed: "Components",
  title_changed: "Title",
  summary_changed: "Summary",
  private_changed: "Private",
  drill_changed: "Drill",
  fix_confirmed: "Fix confirmed",
  update_posted: "Update posted",
};

export function isWritten(kind: string): boolean {
  return kind === "change" || kind === "decision" || kind === "fix" || kind === "note";
}

export function kindLabel(kind: string): string {
  return LABELS[kind] ?? kind.replaceAll("_", " ");
}

interface Props {
  entry: TimelineEntry;
  incident: Incident;
  readiness: ResolveReadiness;
  now: Date;
}

export function TimelineItem({ entry, incident, readiness, now }: Props) {
  const confirm = useConfirmFix(incident);
  return (
    <li className="entry" data-auto={!isWritten(entry.kind)}>
      <div className="entry-head">
        <span className="kind">{kindLabel(entry.kind)}</span>
        <Time iso={entry.createdAt} now={now} />
        <span>{entry.author ? entry.author.name : "Runsheet"}</span>
      </div>
      <div className="entry-body">{entry.body}</div>
      {entry.kind === "fix" ? (
        <div className="entry-fix">
          {entry.final && entry.confirmedBy ? (
            <span className="badge badge-status-resolved">
              Final fix, confirmed by {entry.confirmedBy.name}
              {entry.confirmedAt ? (
                <>
                  {" "}
                  at&nbsp;
                  <Time iso={entry.confirmedAt} now={now} />
                </>
              ) : null}
            </span>
          ) : entry.final ? (
            <span className="badge badge-status-identified">
              Final fix, awaiting confirmation by the {shortRoleName(readiness.lead)}
            </span>
          ) : null}
          {canConfirm(entry, readiness) ? (
            <button
              type="button"
              className="button button-small"
              disabled={confirm.isPending}
              onClick={() => confirm.mutate(entry.id)}
            >
              Confirm as the final fix
            </button>
          ) : null}
        </div>
      ) : null}
      <ErrorAlert error={confirm.error} />
    </li>
  );
}
