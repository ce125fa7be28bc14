import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type Ref, useRef, useState } from "react";
import { api, call, callVoid } from "../../api/client";
import { planOf } from "../../api/plan";
import { errorsFor, isApiError } from "../../api/problem";
import { usePlanDocument } from "../../api/queries";
import type { CreatedIntegration, Integration } from "../../api/types";
import { useSession } from "../../app/session";
import { CopyField } from "../../components/copy-field";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { Time } from "../../components/time";
import { useTitle } from "../../lib/use-title";
import { INTEGRATION_TYPES, type IntegrationType, intakeSetup, typeName } from "./intake-setup";
import { alertKeys, useIntegrations } from "./queries";

/** Where alerts come from: each integration has a key, shown once, that is the sender's credential. */
export function IntegrationsPanel() {
  useTitle("Integrations");
  const user = useSession();
  const isAdmin = user.role === "admin";
  const integrations = useIntegrations();
  const items = integrations.data?.items ?? [];
  const heading = useRef<HTMLHeadingElement>(null);
  const [said, setSaid] = useState("");
  return (
    <>
      <h1>Integrations</h1>
      <p className="muted">
        Monitoring tools send alerts to Runsheet through an integration. Alerts that meet the plan's criteria
        declare or propose incidents; the rest wait here for someone to look.
      </p>
      {isAdmin ? <CreateIntegration /> : <p className="notice">Only admins add and disable integrations.</p>}
      <h2 className="spaced" ref={heading} tabIndex={-1}>
        All integrations
      </h2>
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {integrations.isPending ? <Loading what="the integrations" /> : null}
      <ErrorAlert error={integrations.error} onRetry={() => void integrations.refetch()} />
      {integrations.data && items.length === 0 ? <Empty>No integrations yet.</Empty> : null}
      {items.length > 0 ? (
        <TableWrap label="Integrations">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Service</th>
                <th scope="col">Key starts with</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {items.map((integration) => (
                <IntegrationRow
                  key={integration.id}
                  integration={integration}
                  canDisable={isAdmin}
                  onDisabled={(text) => {
                    setSaid(text);
                    heading.current?.focus();
                  }}
                />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

function IntegrationRow({
  integration,
  canDisable,
  onDisabled,
}: {
  integration: Integration;
  canDisable: boolean;
  onDisabled: (text: string) => void;
}) {
  const client = useQueryClient();
  const disable = useMutation({
    mutationFn: () =>
      callVoid(
        `Could not disable “${integration.name}”`,
        api.DELETE("/api/v1/integrations/{id}", { params: { path: { id: integration.id } } }),
      ),
    onSuccess: () => {
      onDisabled(`Disabled “${integration.name}”: its key no longer works.`);
      void client.invalidateQueries({ queryKey: alertKeys.integrations });
    },
  });
  return (
    <tr>
      <td>
        {integration.name}
        <ErrorAlert error={disable.error} />
      </td>
      <td>
        {typeName(integration.type)}
        {integration.type === "heartbeat" ? (
          <div className="small muted">
            every {integration.heartbeatSeconds ?? "?"} s; last{" "}
            {integration.lastHeartbeatAt ? <Time iso={integration.lastHeartbeatAt} /> : "never"}
          </div>
        ) : null}
      </td>
      <td>{integration.service ?? <span className="muted">none</span>}</td>
      <td>
        <code>{integration.keyPrefix}…</code>
      </td>
      <td>
        <Time iso={integration.createdAt} />
      </td>
      <td>
        {integration.disabledAt ? (
          <span className="muted">
            disabled <Time iso={integration.disabledAt} />
          </span>
        ) : canDisable ? (
          <button
            type="button"
            className="button button-small"
            disabled={disable.isPending}
            onClick={() => {
              if (
                window.confirm(
                  `Disable “${integration.name}”? Its key stops working at once; its alerts stay.`,
                )
              )
                disable.mutate();
            }}
          >
            Disable<span className="visually-hidden"> “{integration.name}”</span>
          </button>
        ) : (
          "active"
        )}
      </td>
    </tr>
  );
}

interface Draft {
  name: string;
  type: IntegrationType;
  service: string;
  heartbeatSeconds: string;
}

const EMPTY: Draft = { name: "", type: "pagerduty", service: "", heartbeatSeconds: "300" };

function CreateIntegration() {
  const client = useQueryClient();
  const planDoc = usePlanDocument();
  const components = planDoc.data ? planOf(planDoc.data).components : [];
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const result = useRef<HTMLDivElement>(null);
  const create = useMutation({
    mutationFn: () =>
      call(
        "Could not create the integration",
        api.POST("/api/v1/integrations", {
          body: {
            name: draft.name.trim(),
            type: draft.type,
            ...(draft.service ? { service: draft.service } : {}),
            ...(draft.type === "heartbeat" && draft.heartbeatSeconds.trim()
              ? { heartbeatSeconds: Number(draft.heartbeatSeconds) }
              : {}),
          },
        }),
      ),
    onSuccess: () => {
      setDraft(EMPTY);
      void client.invalidateQueries({ queryKey: alertKeys.integrations });
      // The key is shown only now: take the reader to it.
      requestAnimationFrame(() => result.current?.focus());
    },
  });
  const problem = isApiError(create.error) ? create.error.problem : undefined;
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const typeHint = INTEGRATION_TYPES.find((t) => t.type === draft.type)?.hint;
  return (
    <section className="panel" aria-labelledby="new-integration-title">
      <h2 id="new-integration-title">New integration</h2>
      <form onSubmit={submit} noValidate className="integration-form">
        <ErrorAlert error={create.error} fields={["name", "type", "service", "heartbeatSeconds"]} focus />
        <div className="integration-fields">
          <Field
            label="Name"
            hint="What sends the alerts, such as “Prometheus production”."
            errors={errorsFor(problem, "name")}
          >
            {(control) => (
              <input
                {...control}
                type="text"
                value={draft.name}
                maxLength={100}
                onChange={(e) => update({ name: e.target.value })}
              />
            )}
          </Field>
          <Field label="Type" hint={typeHint} errors={errorsFor(problem, "type")}>
            {(control) => (
              <select
                {...control}
                value={draft.type}
                onChange={(e) => update({ type: e.target.value as IntegrationType })}
              >
                {INTEGRATION_TYPES.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Service (optional)"
            hint="Its alerts are silenced while this component is under maintenance."
            errors={errorsFor(problem, "service")}
          >
            {(control) => (
              <select
                {...control}
                value={draft.service}
                onChange={(e) => update({ service: e.target.value })}
              >
                <option value="">None</option>
                {components.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.group ? `${c.group}: ` : ""}
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {draft.type === "heartbeat" ? (
            <Field
              label="Expect a heartbeat every (seconds)"
              hint="From 30 to 86,400. A missed one raises an alert."
              errors={errorsFor(problem, "heartbeatSeconds")}
            >
              {(control) => (
                <input
                  {...control}
                  type="number"
                  inputMode="numeric"
                  min={30}
                  max={86_400}
                  value={draft.heartbeatSeconds}
                  onChange={(e) => update({ heartbeatSeconds: e.target.value })}
                />
              )}
            </Field>
          ) : null}
        </div>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create integration"}
        </button>
      </form>
      {create.data ? <CreatedKey created={create.data} ref={result} /> : null}
    </section>
  );
}

function CreatedKey({ created, ref }: { created: CreatedIntegration; ref: Ref<HTMLDivElement> }) {
  return (
    <div className="notice notice-ok spaced created-integration" tabIndex={-1} ref={ref}>
      <h3>“{created.name}” is ready</h3>
      <p>
        Its key is shown <strong>only now</strong>: copy what the tool needs. If it is lost, create another
        integration and disable this one.
      </p>
      {intakeSetup(created).map((item) => (
        <CopyField
          key={item.label}
          label={item.label}
          value={item.value}
          {...(item.hint ? { hint: item.hint } : {})}
          {...(item.multiline ? { multiline: true } : {})}
        />
      ))}
    </div>
  );
}
