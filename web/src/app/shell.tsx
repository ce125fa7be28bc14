import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { api, callVoid } from "../api/client";
import { type LiveState, useLiveUpdates } from "../api/live";
import { useMyPages } from "../api/queries";
import { canRespond, useSession } from "./session";
import { ShortcutsHelp } from "./shortcuts-help";
import { ThemeSwitch } from "./theme-switch";
import { useGlobalShortcuts } from "./use-global-shortcuts";

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Reconnecting…",
};

/** The frame around every signed-in screen: navigation, live status, theme, the user, shortcuts. */
export function Shell() {
  const user = useSession();
  const live = useLiveUpdates(true);
  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);
  // After moving to another screen, the focus starts at its content, as after a page load.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (pathname && !main.current?.contains(document.activeElement))
      main.current?.focus({ preventScroll: true });
  }, [pathname]);
  useGlobalShortcuts({ openHelp, isAdmin: user.role === "admin" });

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="shell-header">
        <Link to="/incidents" className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" />
          <span className="brand-name">Runsheet</span>
        </Link>
        <nav className="shell-nav" aria-label="Main">
          <ul>
            <li>
              <NavLink to="/incidents" end>
                Incidents
              </NavLink>
            </li>
            <li>
              <NavLink to="/alerts">Alerts</NavLink>
            </li>
            <li>
              <NavLink to="/on-call">On-call</NavLink>
            </li>
            <li>
              <NavLink to="/actions">Actions</NavLink>
            </li>
            <li>
              <NavLink to="/values">Values</NavLink>
            </li>
            <li>
              <NavLink to="/plan">Plan</NavLink>
            </li>
            <li>
              <NavLink to="/status-page">Status page</NavLink>
            </li>
            <li>
              <NavLink to="/admin">{user.role === "admin" ? "Admin" : "Tokens"}</NavLink>
            </li>
          </ul>
        </nav>
        <div className="shell-tools">
          {canRespond(user) ? (
            <Link to="/incidents/new" className="button button-primary button-small" aria-keyshortcuts="d">
              Declare
            </Link>
          ) : null}
          <span
            className="live"
            data-state={live}
            role="status"
            title="Changes by others appear without reloading"
          >
            {LIVE_TEXT[live]}
          </span>
          <ThemeSwitch />
          <button
            type="button"
            className="button button-quiet button-small shortcuts-button"
            onClick={() => setHelpOpen(true)}
            aria-keyshortcuts="?"
          >
            Shortcuts <kbd>?</kbd>
          </button>
          <MyPaging name={user.name} />
          <SignOut />
        </div>
      </header>
      <main id="main" className="shell-main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}

/** The way to my paging settings, which also says when pages are waiting for me, on every screen. */
function MyPaging({ name }: { name: string }) {
  const pages = useMyPages("open", { poll: true });
  const open = pages.data?.items.length ?? 0;
  return (
    <NavLink to="/me" className="my-paging small" data-open={open > 0 ? "" : undefined}>
      <span className="user-name">
        <span className="visually-hidden">My paging: </span>
        {name}
      </span>
      <span className="my-paging-short">My paging</span>
      {open > 0 ? (
        <span className="badge page-count">
          {open} open page{open === 1 ? "" : "s"}
        </span>
      ) : null}
    </NavLink>
  );
}

function SignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [failed, setFailed] = useState(false);
  const signOut = async () => {
    try {
      await callVoid("Could not sign out", api.POST("/api/v1/auth/logout"));
      client.clear();
      navigate("/sign-in");
    } catch {
      setFailed(true);
    }
  };
  return (
    <span className="small">
      <button type="button" className="button button-small" onClick={() => void signOut()}>
        Sign out
      </button>
      {failed ? (
        <span role="alert" className="field-error">
          {" "}
          Sign-out failed; try again.
        </span>
      ) : null}
    </span>
  );
}
