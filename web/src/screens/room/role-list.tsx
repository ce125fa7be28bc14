import type { Incident } from "../../api/types";
import { RoleCard } from "./role-card";

/** Every role of the incident, with its holder and its responsibilities as a checklist. */
export function RoleList({ incident }: { incident: Incident }) {
  return (
    <section className="panel" aria-labelledby="roles-title">
      <div className="panel-header">
        <h2 id="roles-title">Roles</h2>
        <span className="small muted">
          {incident.checklist.filter((i) => i.done).length} of {incident.checklist.length} done
        </span>
      </div>
      {incident.roles.map((role) => (
        <RoleCard
          key={role.roleId}
          incident={incident}
          role={role}
          items={incident.checklist.filter((item) => item.roleId === role.roleId)}
        />
      ))}
    </section>
  );
}
