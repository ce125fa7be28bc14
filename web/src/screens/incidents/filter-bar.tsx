import type { Plan } from "../../api/plan";
import type { ListFilters, StatusFilter } from "./filters";

const STATUS_OPTIONS: Array<{ value: StatusFilter; label: string }> = [
  { value: "", label: "Active, then recent" },
  { value: "active", label: "Active only" },
  { value: "investigating", label: "Investigating" },
  { value: "identified", label: "Identified" },
  { value: "monitoring", label: "Monitoring" },
  { value: "resolved", label: "Resolved" },
];

interface Props {
  filters: ListFilters;
  plan: Plan | undefined;
  onChange: (filters: ListFilters) => void;
}

export function IncidentFilterBar({ filters, plan, onChange }: Props) {
  return (
    <form className="filters" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={filters.status}
          onChange={(e) => onChange({ ...filters, status: e.target.value as StatusFilter })}
        >
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-severity">Severity</label>
        <select
          id="filter-severity"
          value={filters.severity}
          onChange={(e) => onChange({ ...filters, severity: e.target.value })}
        >
          <option value="">All severities</option>
          {plan?.severities.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-drill">Drills</label>
        <select
          id="filter-drill"
          value={filters.drill}
          onChange={(e) => onChange({ ...filters, drill: e.target.value as ListFilters["drill"] })}
        >
          <option value="">Real incidents and drills</option>
          <option value="false">Real incidents only</option>
          <option value="true">Drills only</option>
        </select>
      </div>
      <label className="choice">
        <input
          type="checkbox"
          checked={filters.mine}
          onChange={(e) => onChange({ ...filters, mine: e.target.checked })}
        />
        Mine (I declared it or hold a role)
      </label>
    </form>
  );
}
