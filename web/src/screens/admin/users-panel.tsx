import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, call } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import { keys, useUsers } from "../../api/queries";
import type { OrgRole, User } from "../../api/types";
import { useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Empty, Loading } from "../../components/states";
import { TableWrap } from "../../components/table-wrap";
import { useTitle } from "../../lib/use-title";

const ROLES: Array<{ value: OrgRole; label: string }> = [
  { value: "responder", label: "Responder: declares and runs incidents" },
  { value: "viewer", label: "Viewer: reads only" },
  { value: "admin", label: "Admin: also people, tokens and the plan" },
];

export function UsersPanel() {
  useTitle("Users");
  const users = useUsers();
  return (
    <>
      <h1>Users</h1>
      <AddUser />
      <h2>Everyone</h2>
      {users.isPending ? <Loading what="people" /> : null}
      <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      {users.data && users.data.items.length === 0 ? <Empty>Nobody yet.</Empty> : null}
      {users.data && users.data.items.length > 0 ? (
        <TableWrap label="Users">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Time zone</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <UserRow key={user.id} user={user} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}

function UserRow({ user }: { user: User }) {
  const me = useSession();
  const client = useQueryClient();
  const change = useMutation({
    mutationFn: (body: { role?: OrgRole; disabled?: boolean }) =>
      call(
        `Could not change ${user.name}`,
        api.PATCH("/api/v1/users/{userId}", { params: { path: { userId: user.id } }, body }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.users }),
  });
  const isMe = user.id === me.id;
  return (
    <tr>
      <td>
        {user.name}
        {isMe ? <span className="muted"> (you)</span> : null}
        {change.error ? <ErrorAlert error={change.error} /> : null}
      </td>
      <td>{user.email}</td>
      <td>
        <select
          aria-label={`Role of ${user.name}`}
          value={user.role}
          disabled={isMe || change.isPending}
          onChange={(e) => change.mutate({ role: e.target.value as OrgRole })}
        >
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.value}
            </option>
          ))}
        </select>
      </td>
      <td>{user.timezone}</td>
      <td>
        {isMe ? (
          <span className="muted">active</span>
        ) : (
          <button
            type="button"
            className="button button-small"
            disabled={change.isPending}
            onClick={() => change.mutate({ disabled: !user.disabled })}
          >
            {user.disabled ? `Enable ${user.name}` : `Disable ${user.name}`}
          </button>
        )}
      </td>
    </tr>
  );
}

const EMPTY = { email: "", name: "", role: "responder" as OrgRole, password: "" };

function AddUser() {
  const client = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const create = useMutation({
    mutationFn: () =>
      call(
        "Could not add the user",
        api.POST("/api/v1/users", {
          body: {
            email: form.email.trim(),
            name: form.name.trim(),
            role: form.role,
            ...(form.password ? { password: form.password } : {}),
          },
        }),
      ),
    onSuccess: () => {
      setForm(EMPTY);
      void client.invalidateQueries({ queryKey: keys.users });
    },
  });
  const problem = isApiError(create.error) ? create.error.problem : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={create.error} fields={["email", "name", "role", "password"]} />
        <Field label="Name" errors={errorsFor(problem, "name")}>
          {(control) => (
            <input
              {...control}
              type="text"
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Email" errors={errorsFor(problem, "email")}>
          {(control) => (
            <input
              {...control}
              type="email"
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          )}
        </Field>
        <Field label="Role" errors={errorsFor(problem, "role")}>
          {(control) => (
            <select
              {...control}
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as OrgRole })}
            >
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Password (optional)"
          hint="Leave empty to have one generated; it is shown once, here."
          errors={errorsFor(problem, "password")}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add user"}
        </button>
      </form>
      {create.data ? (
        <div className="notice notice-ok spaced" role="status">
          <p>
            Added {create.data.user.name} ({create.data.user.email}).
          </p>
          {create.data.generatedPassword ? (
            <>
              <p>Their password, shown only now — pass it on safely:</p>
              <p className="secret">{create.data.generatedPassword}</p>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
