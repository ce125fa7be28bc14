import type { Plan } from "../../api/plan";
import type { Impact } from "../../api/types";
import { FieldErrors } from "../../components/field";

export const IMPACT_LABELS: Record<Impact, string> = {
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};

const CHOICES: Impact[] = ["degraded_performance", "partial_outage", "major_outage", "under_maintenance"];

interface Props {
  plan: Plan;
  value: Record<string, Impact>;
  onChange: (value: Record<string, Impact>) => void;
  errors: string[];
}

/** Each component of the plan, grouped as on the status page, with how badly it is hit. */
export function ComponentsField({ plan, value, onChange, errors }: Props) {
  if (plan.components.length === 0) return null;
  const groups = new Map<string, typeof plan.components>();
  for (const component of plan.components) {
    const group = component.group ?? "Components";
    groups.set(group, [...(groups.get(group) ?? []), component]);
  }
  const set = (id: string, impact: string) => {
    const next = { ...value };
    if (impact) next[id] = impact as Impact;
    else delete next[id];
    onChange(next);
  };
  return (
    <fieldset>
      <legend>Affected components (optional)</legend>
      {[...groups].map(([group, components]) => (
        <div key={group}>
          <p className="field-label small">{group}</p>
          {components.map((component) => (
            <div key={component.id} className="field">
              <label htmlFor={`component-${component.id}`}>
                {component.name}
                {component.description ? (
                  <span className="field-hint"> — {component.description}</span>
                ) : null}
              </label>
              <select
                id={`component-${component.id}`}
                value={value[component.id] ?? ""}
                onChange={(e) => set(component.id, e.target.value)}
              >
                <option value="">Not affected</option>
                {CHOICES.map((impact) => (
                  <option key={impact} value={impact}>
                    {IMPACT_LABELS[impact]}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
      ))}
      <FieldErrors errors={errors} />
    </fieldset>
  );
}
