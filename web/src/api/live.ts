import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { keys, refreshIncident } from "./queries";

/** One change, as GET /api/v1/events sends it. */
export interface IncidentEvent {
  incidentId: string;
  reference: string;
  kind: string;
  version: number;
}

export function parseIncidentEvent(data: string): IncidentEvent | null {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value !== "object" || value === null) return null;
    const event = value as Record<string, unknown>;
    if (typeof event.incidentId !== "string" || typeof event.reference !== "string") return null;
    return {
      incidentId: event.incidentId,
      reference: event.reference,
      kind: typeof event.kind === "string" ? event.kind : "changed",
      version: typeof event.version === "number" ? event.version : 0,
    };
  } catch {
    return null;
  }
}

export type LiveState = "connecting" | "live" | "offline";

/** Waits longer after each failed attempt, up to half a minute. */
export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Follows /api/v1/events while signed in: each event refreshes that incident's
 * queries and the lists. EventSource reconnects by itself after a dropped
 * connection; when it gives up (an error answer), we open a new one after a
 * growing delay. After any gap everything is refetched, as events may be lost.
 */
export function useLiveUpdates(enabled: boolean): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let hadGap = false;
    let stopped = false;

    const open = () => {
      source = new EventSource("/api/v1/events");
      source.onopen = () => {
        attempt = 0;
        setState("live");
        if (hadGap) void client.invalidateQueries();
        hadGap = false;
      };
      source.addEventListener("incident", (message) => {
        const event = parseIncidentEvent((message as MessageEvent<string>).data);
        if (!event) return;
        refreshIncident(client, { id: event.incidentId, reference: event.reference });
        // Paging, acknowledgements and alerts joining incidents come as incident events.
        void client.invalidateQueries({ queryKey: keys.pages });
        void client.invalidateQueries({ queryKey: keys.alerts });
      });
      source.onerror = () => {
        hadGap = true;
        setState("offline");
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          attempt += 1;
          timer = setTimeout(open, retryDelay(attempt));
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [client, enabled]);

  return state;
}
