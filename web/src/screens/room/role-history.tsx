import { useRoleHistory, useUsers } from "../../api/queries";
import { Time } from "../../components/time";

/** Who held the role before, from when to when: every holder is kept. */
export function RoleHistory({ incidentRef, roleId }: { incidentRef: string; roleId: string }) {
  const history = useRoleHistory(incidentRef);
  const users = useUsers();
  const earlier = (history.data?.items ?? []).filter((stint) => stint.roleId === roleId && stint.endedAt);
  if (earlier.length === 0) return null;
  const nameOf = (id: string | null) =>
    id ? (users.data?.items.find((u) => u.id === id)?.name ?? "someone") : "nobody";
  return (
    <p className="small muted">
      Before:{" "}
      {earlier.map((stint, i) => (
        <span key={`${stint.startedAt}-${stint.userId}`}>
          {i > 0 ? "; " : null}
          {nameOf(stint.userId)} (<Time iso={stint.startedAt} now={new Date()} />
          {stint.endedAt ? (
            <>
              {" "}
              to <Time iso={stint.endedAt} now={new Date()} />
            </>
          ) : null}
          )
        </span>
      ))}
    </p>
  );
}
