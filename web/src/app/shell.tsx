import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useState } from "react";
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

/** The frame around every signed-in screen: navigation, Declare, live status, open pages, the person's menu. */
export function Shell() {
  const user = useSession();
  const live = useLiveUpdates(true);
  const [helpOpen, setHelpOpen] = useState(false);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const shown = useRef(pathname);
  // After moving to another screen, the focus starts at its content, as after a page load. Compared
  // with the screen shown before, not counted: StrictMode runs the effect twice on the first load.
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    if (!main.current?.contains(document.activeElement)) main.current?.focus({ preventScroll: true });
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
          <OpenPages />
          <AccountMenu name={user.name} role={user.role} onShortcuts={openHelp} />
        </div>
      </header>
      <main id="main" className="shell-main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </>
  );
}

/** On every screen, when pages wait for me: how many, and the way to acknowledge them. */
function OpenPages() {
  const pages = useMyPages("open", { poll: true });
  const open = pages.data?.items.length ?? 0;
  if (open === 0) return null;
  return (
    <NavLink to="/me" className="badge page-count">
      <span className="visually-hidden">My paging: </span>
      {open} open page{open === 1 ? "" : "s"}
    </NavLink>
  );
}

/**
 * The signed-in person's menu: my paging, the theme, the shortcuts and
 * signing out, folded behind their name so the header fits on one line. A
 * disclosure rather than an ARIA menu: it holds a select, and Tab moves
 * through it as through the page. Escape, a click outside or focus moving on
 * closes it.
 */
function AccountMenu({ name, role, onShortcuts }: { name: string; role: string; onShortcuts: () => void }) {
  const [open, setOpen] = useState(false);
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every move to another screen
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    // A click or focus outside closes it; a click on the panel's background does not.
    const onOutside = (event: Event) => {
      if (!wrap.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || document.querySelector("dialog[open]")) return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onOutside);
    document.addEventListener("focusin", onOutside);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onOutside);
      document.removeEventListener("focusin", onOutside);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);
  return (
    <div className="account-menu" ref={wrap}>
      <button
        type="button"
        ref={button}
        className="button button-quiet button-small account-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((was) => !was)}
      >
        <span className="visually-hidden">Menu: </span>
        <span className="user-initials" aria-hidden="true">
          {initials(name)}
        </span>
        <span className="user-name">{name}</span>
        <svg className="account-caret" viewBox="0 0 10 6" aria-hidden="true" focusable="false">
          <path d="M1 1l4 4 4-4" />
        </svg>
      </button>
      <div id={panelId} className="account-panel" hidden={!open}>
        <p className="account-who small muted">
          Signed in as <strong>{name}</strong> ({role})
        </p>
        <Link to="/me" className="account-item" onClick={() => setOpen(false)}>
          My paging
        </Link>
        <ThemeSwitch labelled />
        <button
          type="button"
          className="account-item"
          aria-keyshortcuts="?"
          onClick={() => {
            // Focus rests on the menu's button, where closing the dialog brings it back.
            setOpen(false);
            button.current?.focus();
            onShortcuts();
          }}
        >
          Keyboard shortcuts <kbd>?</kbd>
        </button>
        <SignOut />
      </div>
    </div>
  );
}

/** Up to two initials, for the menu's button on a phone. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1);
  return letters.map((word) => Array.from(word)[0]!.toUpperCase()).join("") || "?";
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
    <>
      <button type="button" className="account-item" onClick={() => void signOut()}>
        Sign out
      </button>
      {failed ? (
        <p role="alert" className="field-error">
          Sign-out failed; try again.
        </p>
      ) : null}
    </>
  );
}
