import { Navigate, NavLink, Route, Routes } from "react-router";
import { useSession } from "../../app/session";
import { NotFoundScreen } from "../not-found-screen";
import { TokensPanel } from "./tokens-panel";
import { UsersPanel } from "./users-panel";

/** People and API tokens. Everyone manages their own tokens; admins manage people and everyone's tokens. */
export default function AdminScreen() {
  const user = useSession();
  const isAdmin = user.role === "admin";
  return (
    <>
      <nav aria-label="Admin">
        <ul className="tabs">
          {isAdmin ? (
            <li>
              <NavLink to="/admin/users">Users</NavLink>
            </li>
          ) : null}
          <li>
            <NavLink to="/admin/tokens">API tokens</NavLink>
          </li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={isAdmin ? "users" : "tokens"} replace />} />
        <Route
          path="users"
          element={isAdmin ? <UsersPanel /> : <p className="notice">Only admins manage people.</p>}
        />
        <Route path="tokens" element={<TokensPanel />} />
        <Route path="*" element={<NotFoundScreen />} />
      </Routes>
    </>
  );
}
