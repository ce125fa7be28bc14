import type { SeverityInfo } from "../api/plan";
import type { Status } from "../api/types";

export function SeverityBadge({ severity }: { severity: SeverityInfo }) {
  return (
    <span className={`badge badge-sev-${severity.level}`} title={severity.description || undefined}>
      <span className="visually-hidden">Severity: </span>
      {severity.name}
    </span>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge-status-${status}`}>
      <span className="visually-hidden">Status: </span>
      {statusLabel(status)}
    </span>
  );
}

export function Tag({ children }: { children: string }) {
  return <span className="badge badge-plain">{children}</span>;
}

export function statusLabel(status: Status): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}
