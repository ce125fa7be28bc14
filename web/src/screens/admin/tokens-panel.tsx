import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, call, callVoid } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import { keys, useUsers } from "../../api/queries";
import type { ApiToken } from "../../api/types";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { Time } from "../../components/time";
import { useTitle } from "../../lib/use-title";

/** API tokens for the CLI and scripts: created here, shown once, revoked here. */
export function TokensPanel() {
  useTitle("API tokens");
  const user = useSession();
  const isAdmin = user.role === "admin";
  const [all, setAll] = useState(false);
  const tokens = useQuery({
    queryKey: keys.tokens(all),
    queryFn: () =>
      call(
        "Could not load the API tokens",
        api.GET("/api/v1/tokens", { params: { query: all ? { all: "true" } : {} } }),
      ),
  });
  const users = useUsers();
  const nameOf = (id: string) => users.data?.items.find((u) => u.id === id)?.name ?? id;
  const items = tokens.data?.items ?? [];
  return (
    <>
      <h1>API tokens</h1>
      <p className="muted">
        For the CLI (<code>export RUNSHEET_TOKEN=rs_…</code>) and scripts (
        <code>Authorization: Bearer rs_…</code>). A token acts as the person it belongs to.
      </p>
      <CreateToken />
      <div className="panel-header spaced">
        <h2>{all ? "Everyone's tokens" : "Your tokens"}</h2>
        {isAdmin ? (
          <label className="choice small">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            Show everyone's
          </label>
        ) : null}
      </div>
      {tokens.isPending ? <Loading what="tokens" /> : null}
      <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />
      {tokens.data && items.length === 0 ? <Empty>No tokens yet.</Empty> : null}
      {items.length > 0 ? (
        <TableWrap label="API tokens">
          <table>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Starts with</th>
                {all ? <th scope="col">Belongs to</th> : null}
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {items.map((token) => (
                <TokenRow key={token.id} token={token} owner={all ? nameOf(token.userId) : null} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

function TokenRow({ token, owner }: { token: ApiToken; owner: string | null }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: () =>
      callVoid(
        `Could not revoke “${token.label}”`,
        api.DELETE("/api/v1/tokens/{tokenId}", { params: { path: { tokenId: token.id } } }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["tokens"] }),
  });
  return (
    <tr>
      <td>
        {token.label}
        <ErrorAlert error={revoke.error} />
      </td>
      <td>
        <code>{token.prefix}…</code>
      </td>
      {owner !== null ? <td>{owner}</td> : null}
      <td>
        <Time iso={token.createdAt} />
      </td>
      <td>{token.lastUsedAt ? <Time iso={token.lastUsedAt} /> : <span className="muted">never</span>}</td>
      <td>
        {token.revoked ? (
          <span className="muted">revoked</span>
        ) : (
          <button
            type="button"
            className="button button-small"
            disabled={revoke.isPending}
            onClick={() => {
              if (window.confirm(`Revoke “${token.label}”? Whatever uses it stops working at once.`))
                revoke.mutate();
            }}
          >
            Revoke “{token.label}”
          </button>
        )}
      </td>
    </tr>
  );
}

function CreateToken() {
  const client = useQueryClient();
  const [label, setLabel] = useState("");
  const create = useMutation({
    mutationFn: () =>
      call("Could not create the token", api.POST("/api/v1/tokens", { body: { label: label.trim() } })),
    onSuccess: () => {
      setLabel("");
      void client.invalidateQueries({ queryKey: ["tokens"] });
    },
  });
  const problem = isApiError(create.error) ? create.error.problem : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="new-token-title">
      <h2 id="new-token-title">New token</h2>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={create.error} fields={["label"]} />
        <Field
          label="What is it for?"
          hint="For example “laptop CLI” or “deploy script”."
          errors={errorsFor(problem, "label")}
        >
          {(control) => (
            <input {...control} type="text" value={label} onChange={(e) => setLabel(e.target.value)} />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.data ? (
        <div className="notice notice-ok spaced" role="status">
          <p>Your new token, shown only now. Copy it somewhere safe:</p>
          <p className="secret">{create.data.token}</p>
        </div>
      ) : null}
    </section>
  );
}
