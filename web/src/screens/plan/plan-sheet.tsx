import { contactText, type Plan, planOf, templateParts } from "../../api/plan";
import { usePlanDocument } from "../../api/queries";
import type { Phase } from "../../api/types";
import { ErrorAlert } from "../../components/error-alert";
import { Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { planDurationInWords } from "../../lib/time";
import { useTitle } from "../../lib/use-title";

const PHASES: Phase[] = ["investigating", "identified", "monitoring", "resolved"];

/** The plan as the filled-in sheet, in the seed worksheet's order; printable as it is. */
export function PlanSheet() {
  useTitle("Plan");
  const doc = usePlanDocument();
  if (doc.isPending) return <Loading what="the plan" />;
  if (doc.error) return <ErrorAlert error={doc.error} onRetry={() => void doc.refetch()} />;
  const plan = planOf(doc.data);
  return (
    <article className="sheet">
      <div className="page-header">
        <h1>{plan.organization.name}: incident response plan</h1>
        <div className="button-row no-print">
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
          <a className="button" href="/api/v1/plan/export?format=html" target="_blank" rel="noopener">
            Printable page
          </a>
          <a className="button" href="/api/v1/plan/export?format=md" download="runsheet-plan.md">
            Markdown
          </a>
        </div>
      </div>
      <p className="muted">
        Version {doc.data.version}. Times in {plan.organization.timezone}.
      </p>
      <Definition plan={plan} />
      <Severities plan={plan} />
      <Roles plan={plan} />
      <Channels plan={plan} />
      <Templates plan={plan} />
      <Values plan={plan} />
      {plan.components.length > 0 ? <Components plan={plan} /> : null}
    </article>
  );
}

function Definition({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="sheet-definition">
      <h2 id="sheet-definition">Defining an incident</h2>
      <p>{plan.definition.intro}</p>
      <ul>
        {plan.definition.criteria.map((c) => (
          <li key={c.id}>
            {c.text}
            {c.match ? (
              <span className="muted small">
                {" "}
                (alerts matching it{" "}
                {c.action === "declare"
                  ? `declare an incident at ${plan.severities.find((sv) => sv.id === c.severity)?.name ?? c.severity ?? "a severity"}`
                  : "propose an incident"}
                )
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Severities({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="sheet-severities">
      <h2 id="sheet-severities">Severity levels</h2>
      <TableWrap label="Severity levels">
        <table>
          <thead>
            <tr>
              <th scope="col">Level</th>
              <th scope="col">When</th>
              <th scope="col">Customer updates</th>
              <th scope="col">Out of hours</th>
            </tr>
          </thead>
          <tbody>
            {plan.severities.map((s, i) => (
              <tr key={s.id}>
                <td>
                  <span className={`badge badge-sev-${Math.min(i + 1, 4)}`}>{s.name}</span>
                </td>
                <td>{s.description}</td>
                <td>every {planDurationInWords(s.update_every)}</td>
                <td>{s.page_out_of_hours ? "pages" : "waits for working hours"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function Roles({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="sheet-roles">
      <h2 id="sheet-roles">Incident roles and responsibilities</h2>
      {plan.roles.map((role) => (
        <div key={role.id} className="sheet-card">
          <h3>
            {role.name}
            {role.lead ? (
              <span className="muted small"> · leads the incident, confirms the final fix</span>
            ) : null}
            {role.recommended ? <span className="muted small"> · recommended by the sheet</span> : null}
          </h3>
          <dl>
            <dt>Main point of contact</dt>
            <dd>{contactText(role.primary)}</dd>
            <dt>Backup contact</dt>
            <dd>{contactText(role.backup)}</dd>
            <dt>Acknowledge within</dt>
            <dd>{planDurationInWords(role.ack_within)}</dd>
          </dl>
          {role.responsibilities.length > 0 ? (
            <>
              <p className="field-label small">Core responsibilities</p>
              <ul>
                {role.responsibilities.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ))}
    </section>
  );
}

function Channels({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="sheet-channels">
      <h2 id="sheet-channels">Communication channels</h2>
      {plan.channels.length === 0 ? <p className="muted">No channels in the plan yet.</p> : null}
      {plan.channels.map((channel) => {
        const when = [
          channel.when.audience === "external" ? "customers" : "internal",
          channel.when.severities ? `severities ${channel.when.severities.join(", ")}` : null,
          channel.when.min_impact ? `from ${channel.when.min_impact.replaceAll("_", " ")}` : null,
          channel.when.min_duration ? `after ${channel.when.min_duration}` : null,
          channel.when.drills ? "drills too" : null,
        ].filter(Boolean);
        const who = [...channel.who.roles, ...channel.who.users];
        return (
          <div key={channel.id} className="sheet-card">
            <h3>
              {channel.name} <span className="muted small">({channel.type})</span>
            </h3>
            <dl>
              <dt>When to use it</dt>
              <dd>{when.join("; ")}</dd>
              <dt>Who may use it</dt>
              <dd>{who.length ? who.join(", ") : "nobody yet"}</dd>
              {channel.how ? (
                <>
                  <dt>How</dt>
                  <dd>{channel.how}</dd>
                </>
              ) : null}
              {channel.more ? (
                <>
                  <dt>More info</dt>
                  <dd>{channel.more}</dd>
                </>
              ) : null}
            </dl>
          </div>
        );
      })}
    </section>
  );
}

function Templates({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="sheet-templates">
      <h2 id="sheet-templates">Incident templates</h2>
      {PHASES.map((phase) => {
        const template = templateParts(plan.templates[phase]);
        return (
          <div key={phase} className="sheet-card">
            <h3>{phase.charAt(0).toUpperCase() + phase.slice(1)}</h3>
            {template.subject ? <p className="role-holder">{template.subject}</p> : null}
            <pre>{template.body}</pre>
          </div>
        );
      })}
    </section>
  );
}

function Values({ plan }: { plan: Plan }) {
  if (plan.values.length === 0) return null;
  return (
    <section aria-labelledby="sheet-values">
      <h2 id="sheet-values">Incident values</h2>
      <dl>
        {plan.values.map((v) => (
          <div key={v.name} className="shortcut-row">
            <dt>{v.name}</dt>
            <dd>{v.statement}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Components({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="sheet-components">
      <h2 id="sheet-components">Components</h2>
      <ul>
        {plan.components.map((c) => (
          <li key={c.id}>
            <strong>{c.name}</strong>
            {c.group ? <span className="muted"> ({c.group})</span> : null}
            {c.description ? `: ${c.description}` : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
