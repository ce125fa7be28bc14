import { createContext, type ReactNode, useContext } from "react";
import { Navigate, useLocation } from "react-router";
import { isApiError } from "../api/problem";
import { useMe, useSetupState } from "../api/queries";
import type { User } from "../api/types";
import { ErrorAlert } from "../components/error-alert";
import { Loading } from "../components/states";

const SessionContext = createContext<User | null>(null);

/** The signed-in user; only inside RequireSession. */
export function useSession(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error("useSession outside RequireSession");
  return user;
}

export function canRespond(user: User): boolean {
  return user.role === "responder" || user.role === "admin";
}

/** Shows its children to a signed-in user; sends anyone else to sign in, or to the first-run setup. */
export function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  const signedOut = isApiError(me.error) && me.error.status === 401;
  const setup = useSetupState();
  if (me.isPending) return <Loading what="your session" />;
  if (signedOut) {
    if (setup.isPending) return <Loading what="your session" />;
    if (setup.data?.pending) return <Navigate to="/setup" replace />;
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in${next !== "/" ? `?next=${encodeURIComponent(next)}` : ""}`} replace />;
  }
  if (me.error || !me.data) {
    return (
      <main className="shell-main">
        <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return <SessionContext.Provider value={me.data.user}>{children}</SessionContext.Provider>;
}
