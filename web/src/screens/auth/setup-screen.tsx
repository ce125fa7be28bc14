import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { api, call } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import { keys, useSetupState } from "../../api/queries";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { Loading } from "../../components/states";
import { viewerTimeZone } from "../../lib/time";
import { useTitle } from "../../lib/use-title";
import { AuthLayout } from "./auth-layout";

const FIELDS = ["code", "name", "email", "password", "timezone"];

/** First run: the one-time code the server printed creates the first admin, who is then signed in. */
export function SetupScreen() {
  useTitle("First-run setup");
  const [form, setForm] = useState({ code: "", name: "", email: "", password: "" });
  const timezone = viewerTimeZone();
  const navigate = useNavigate();
  const client = useQueryClient();
  const state = useSetupState();
  const setup = useMutation({
    mutationFn: () =>
      call(
        "Could not create the admin account",
        api.POST("/api/v1/setup", { body: { ...form, code: form.code.trim(), timezone } }),
      ),
    onSuccess: (data) => {
      client.setQueryData(keys.me, data);
      client.setQueryData(keys.setup, { pending: false });
      navigate("/incidents", { replace: true });
    },
  });
  if (state.isPending) return <Loading what="the setup state" />;
  if (state.data && !state.data.pending && !setup.isSuccess) return <Navigate to="/sign-in" replace />;
  const problem = isApiError(setup.error) ? setup.error.problem : undefined;
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setup.mutate();
  };
  return (
    <AuthLayout>
      <h1>Welcome to Runsheet</h1>
      <p>Create the first admin account. You can invite everyone else afterwards.</p>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={setup.error} fields={FIELDS} focus />
        <Field
          label="Setup code"
          hint="The server printed it when it started (look for “First run” in its output)."
          errors={errorsFor(problem, "code")}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="one-time-code"
              spellCheck={false}
              value={form.code}
              onChange={set("code")}
            />
          )}
        </Field>
        <Field label="Your name" errors={errorsFor(problem, "name")}>
          {(control) => (
            <input {...control} type="text" autoComplete="name" value={form.name} onChange={set("name")} />
          )}
        </Field>
        <Field label="Email" errors={errorsFor(problem, "email")}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="email"
              value={form.email}
              onChange={set("email")}
            />
          )}
        </Field>
        <Field label="Password" hint="At least 12 characters." errors={errorsFor(problem, "password")}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set("password")}
            />
          )}
        </Field>
        <p className="small muted">
          Times will be shown in your time zone, <strong>{timezone}</strong>.
        </p>
        <button type="submit" className="button button-primary" disabled={setup.isPending}>
          {setup.isPending ? "Creating…" : "Create admin account"}
        </button>
      </form>
    </AuthLayout>
  );
}
