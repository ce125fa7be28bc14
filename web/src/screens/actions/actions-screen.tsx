import { useState } from "react";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Empty, Loading } from "../../components/states";
import { useTitle } from "../../lib/use-title";
import { ItemTable } from "./item-table";
import { groupItems, useActionItemList } from "./queries";

/** /app/actions: my open action items, and everyone's overdue ones by owner or by team. */
export default function ActionsScreen() {
  useTitle("Action items");
  const user = useSession();
  const mine = useActionItemList({ owner: "me", status: "active" });
  const overdue = useActionItemList({ overdue: "true" });
  const [by, setBy] = useState<"owner" | "team">("owner");
  const mayWrite = canRespond(user);

  return (
    <>
      <h1>Action items</h1>
      <p className="muted">
        Never have the same incident twice: what each incident taught us to change, and who is on it.
      </p>
      <section className="panel" aria-labelledby="mine-title">
        <h2 id="mine-title">Mine</h2>
        {mine.isPending ? (
          <Loading what="your action items" />
        ) : mine.error ? (
          <ErrorAlert error={mine.error} onRetry={() => void mine.refetch()} />
        ) : mine.data.items.length === 0 ? (
          <Empty>
            <p>Nothing open is yours.</p>
          </Empty>
        ) : (
          <ItemTable items={mine.data.items} label="My open action items" canEdit={mayWrite} />
        )}
      </section>
      <section className="panel" aria-labelledby="overdue-title">
        <div className="panel-header">
          <h2 id="overdue-title">Overdue</h2>
          <fieldset className="segmented">
            <legend className="visually-hidden">Group the overdue items by</legend>
            <label>
              <input type="radio" name="group" checked={by === "owner"} onChange={() => setBy("owner")} /> By
              owner
            </label>
            <label>
              <input type="radio" name="group" checked={by === "team"} onChange={() => setBy("team")} /> By
              team
            </label>
          </fieldset>
        </div>
        {overdue.isPending ? (
          <Loading what="the overdue action items" />
        ) : overdue.error ? (
          <ErrorAlert error={overdue.error} onRetry={() => void overdue.refetch()} />
        ) : overdue.data.items.length === 0 ? (
          <Empty>
            <p>No action item is overdue.</p>
          </Empty>
        ) : (
          <div className="action-groups">
            {groupItems(overdue.data.items, by).map((group) => (
              <div key={group.key || "none"}>
                <h3>
                  {group.label} <span className="muted small">({group.items.length} overdue)</span>
                </h3>
                <ItemTable
                  items={group.items}
                  label={`Overdue action items: ${group.label}`}
                  canEdit={mayWrite}
                />
              </div>
            ))}
          </div>
        )}
        {overdue.data?.truncated ? <p className="small muted">Only the first 500 are shown.</p> : null}
      </section>
    </>
  );
}
