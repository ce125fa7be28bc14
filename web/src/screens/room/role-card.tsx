import { useState } from "react";
import type { ChecklistItem, Incident, IncidentRole } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Time } from "../../components/time";
import { useHandOver, useTick } from "./actions";
import { HandOverMenu } from "./hand-over-menu";
import { RoleHistory } from "./role-history";

interface Props {
  incident: Incident;
  role: IncidentRole;
  items: ChecklistItem[];
}

export function RoleCard({ incident, role, items }: Props) {
  const user = useSession();
  const handOver = useHandOver(incident);
  const tick = useTick(incident);
  const [menuOpen, setMenuOpen] = useState(false);
  // The box ticks at once; the room's next read (or the error) settles it.
  const [ticking, setTicking] = useState<Record<string, boolean>>({});
  const toggle = (itemId: string, done: boolean) => {
    setTicking((t) => ({ ...t, [itemId]: done }));
    tick.mutate(
      { itemId, done },
      {
        onSettled: () =>
          setTicking((t) => {
            const { [itemId]: _settled, ...rest } = t;
            return rest;
          }),
      },
    );
  };
  const mayAct = canRespond(user);
  const headingId = `role-${role.roleId}`;
  const isMine = role.holder?.id === user.id;

  return (
    <article className="role" aria-labelledby={headingId}>
      <div className="role-head">
        <h3 className="role-name" id={headingId}>
          {role.name}
          {role.lead ? <span className="small muted"> · leads, confirms the final fix</span> : null}
        </h3>
      </div>
      <p className="small">
        {role.holder ? (
          <>
            <span className="role-holder">{isMine ? `${role.holder.name} (you)` : role.holder.name}</span>
            {role.assignedAt ? (
              <span className="muted">
                {" "}
                since <Time iso={role.assignedAt} now={new Date()} />
              </span>
            ) : null}
          </>
        ) : (
          <strong>Unfilled</strong>
        )}
      </p>
      <RoleHistory incidentRef={incident.reference} roleId={role.roleId} />
      {mayAct ? (
        <div className="button-row">
          {!isMine ? (
            <button
              type="button"
              className="button button-small"
              disabled={handOver.isPending}
              onClick={() => handOver.mutate({ roleId: role.roleId, userId: user.id })}
            >
              Take over
            </button>
          ) : null}
          <button
            type="button"
            className="button button-small"
            aria-expanded={menuOpen}
            aria-controls={`${headingId}-people`}
            onClick={() => setMenuOpen((open) => !open)}
          >
            Hand over…
          </button>
        </div>
      ) : null}
      {menuOpen ? (
        <HandOverMenu
          id={`${headingId}-people`}
          roleName={role.name}
          currentHolderId={role.holder?.id ?? null}
          onPick={(userId) => {
            handOver.mutate({ roleId: role.roleId, userId }, { onSuccess: () => setMenuOpen(false) });
          }}
          onClose={() => setMenuOpen(false)}
        />
      ) : null}
      <ErrorAlert error={handOver.error} />
      {items.length > 0 ? (
        <ul className="checklist" aria-label={`${role.name} checklist`}>
          {items.map((item) => (
            <li key={item.id}>
              <label>
                <input
                  type="checkbox"
                  checked={ticking[item.id] ?? item.done}
                  disabled={!mayAct}
                  onChange={(e) => toggle(item.id, e.target.checked)}
                />
                <span>
                  {item.text}
                  {item.done && item.doneBy ? (
                    <span className="done-by">
                      {item.doneBy.name}
                      {item.doneAt ? (
                        <>
                          , <Time iso={item.doneAt} now={new Date()} />
                        </>
                      ) : null}
                    </span>
                  ) : null}
                </span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorAlert error={tick.error} />
    </article>
  );
}
