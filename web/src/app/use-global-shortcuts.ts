import { useEffect, useRef } from "react";
import { useNavigate } from "react-router";
import { isField, matchShortcut } from "../lib/shortcuts";

/** Elements the room marks as shortcut targets: `c` focuses the timeline composer, `u` the update composer. */
export const TIMELINE_COMPOSER_ID = "timeline-composer-body";
export const UPDATE_COMPOSER_ID = "update-composer-phase";

function focusById(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  element.scrollIntoView({ block: "center" });
  element.focus();
}

export function useGlobalShortcuts({ openHelp, isAdmin }: { openHelp: () => void; isAdmin: boolean }): void {
  const navigate = useNavigate();
  const pending = useRef<string | null>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
      const match = matchShortcut(
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          inField: isField(event.target),
        },
        pending.current,
      );
      pending.current = match.pending;
      if (!match.action) return;
      event.preventDefault();
      switch (match.action) {
        case "help":
          return openHelp();
        case "declare":
          return navigate("/incidents/new");
        case "timeline":
          return focusById(TIMELINE_COMPOSER_ID);
        case "update":
          return focusById(UPDATE_COMPOSER_ID);
        case "go-incidents":
          return navigate("/incidents");
        case "go-plan":
          return navigate("/plan");
        case "go-status-page":
          return navigate("/status-page");
        case "go-alerts":
          return navigate("/alerts");
        case "go-on-call":
          return navigate("/on-call");
        case "go-me":
          return navigate("/me");
        case "go-admin":
          return navigate(isAdmin ? "/admin/users" : "/admin/tokens");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, openHelp, isAdmin]);
}
