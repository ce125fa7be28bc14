import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { errorsFor, isApiError } from "../../api/problem";
import { keys, useMe, useSetupState } from "../../api/queries";
import { ErrorAlert } from "../../components/error-alert";
import { Field } from "../../components/field";
import { useTitle } from "../../lib/use-title";
import { AuthLayout } from "./auth-layout";

/** Where to go after signing in: only a path inside the app, never another site. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/incidents";
}

export function SignInScreen() {
  useTitle("Sign in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const setup = useSetupState();
  const me = useMe();
  const signIn = useMutation({
    mutationFn: () =>
      call("Could not sign in", api.POST("/api/v1/auth/login", { body: { email, password } })),
    onSuccess: (data) => {
      client.setQueryData(keys.me, data);
      navigate(safeNext(params.get("next")), { replace: true });
    },
  });
  if (setup.data?.pending) return <Navigate to="/setup" replace />;
  // Already signed in (another tab, or the back button): straight on.
  if (me.data && !signIn.isPending) return <Navigate to={safeNext(params.get("next"))} replace />;
  const problem = isApiError(signIn.error) ? signIn.error.problem : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <AuthLayout>
      <h1>Sign in</h1>
      <form onSubmit={submit} noValidate>
        <ErrorAlert error={signIn.error} fields={["email", "password"]} focus />
        <Field label="Email" errors={errorsFor(problem, "email")}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Password" errors={errorsFor(problem, "password")}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p className="small muted spaced">
        No account? An admin creates one for you in Runsheet's admin pages, or with{" "}
        <code>runsheet user create</code>.{" "}
        {setup.data?.pending ? <Link to="/setup">Set up the first admin</Link> : null}
      </p>
    </AuthLayout>
  );
}
