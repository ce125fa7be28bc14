import { Link } from "react-router";
import { ErrorAlert } from "../../components/error-alert";
import { TableWrap } from "../../components/table-wrap";
import { formatUtc } from "../../lib/time";
import {
  ACTION_STATUSES,
  type ActionItem,
  type ActionStatus,
  STATUS_TEXT,
  useChangeActionItem,
} from "./queries";
import "./actions.css";

function dayOf(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(iso));
}

/** Action items as a table; responders change an item's status in place. */
export function ItemTable({
  items,
  label,
  canEdit,
  showIncident = true,
}: {
  items: readonly ActionItem[];
  label: string;
  canEdit: boolean;
  showIncident?: boolean;
}) {
  const change = useChangeActionItem();
  return (
    <>
      <ErrorAlert error={change.error} focus />
      <TableWrap label={label}>
        <table className="action-items">
          <thead>
            <tr>
              <th scope="col">Action item</th>
              {showIncident ? <th scope="col">Incident</th> : null}
              <th scope="col">Owner</th>
              <th scope="col">Priority</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id} data-overdue={item.overdue || undefined}>
                <th scope="row">
                  {item.title}
                  {item.url ? (
                    <>
                      {" "}
                      <a href={item.url} target="_blank" rel="noreferrer noopener" className="small">
                        tracker<span className="visually-hidden"> for {item.title}</span>
                      </a>
                    </>
                  ) : null}
                  {item.team ? <span className="muted small action-team"> · {item.team}</span> : null}
                </th>
                {showIncident ? (
                  <td>
                    <Link to={`/incidents/${item.incident.reference}/action-items`}>
                      {item.incident.reference}
                    </Link>{" "}
                    <span className="muted small">{item.incident.title}</span>
                  </td>
                ) : null}
                <td>{item.owner ? item.owner.name : <span className="muted">Nobody yet</span>}</td>
                <td>{item.priorityName}</td>
                <td>
                  {item.dueAt ? (
                    <time dateTime={item.dueAt} title={formatUtc(item.dueAt)}>
                      {dayOf(item.dueAt)}
                    </time>
                  ) : (
                    <span className="muted">No due date</span>
                  )}
                  {item.overdue ? <strong className="action-overdue"> Overdue</strong> : null}
                </td>
                <td>
                  {canEdit ? (
                    <select
                      aria-label={`Status of ${item.title}`}
                      value={item.status}
                      disabled={change.isPending}
                      onChange={(event) =>
                        change.mutate({ item, change: { status: event.target.value as ActionStatus } })
                      }
                    >
                      {ACTION_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {STATUS_TEXT[s]}
                        </option>
                      ))}
                    </select>
                  ) : (
                    STATUS_TEXT[item.status]
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
