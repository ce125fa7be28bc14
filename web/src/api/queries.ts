import { type QueryClient, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, call } from "./client";
import { isApiError } from "./problem";
import type { Incident } from "./types";

/**
 * Query keys. Everything about one incident lives under ["incident", ref], so
 * a live event (or a change made here) refreshes the whole room at once.
 */
export const keys = {
  me: ["me"] as const,
  setup: ["setup"] as const,
  incidents: ["incidents"] as const,
  incidentList: (filters: IncidentFilters) => ["incidents", filters] as const,
  incident: (ref: string) => ["incident", ref] as const,
  timeline: (ref: string) => ["incident", ref, "timeline"] as const,
  updates: (ref: string) => ["incident", ref, "updates"] as const,
  roleHistory: (ref: string) => ["incident", ref, "roles"] as const,
  users: ["users"] as const,
  plan: ["plan"] as const,
  planVersions: ["plan", "versions"] as const,
  planVersion: (version: number) => ["plan", "versions", version] as const,
  tokens: (all: boolean) => ["tokens", all] as const,
  /** Pages and alerts change with incidents: a live event refreshes them too. */
  pages: ["pages"] as const,
  myPages: (status: PageListStatus) => ["pages", "mine", status] as const,
  alerts: ["alerts"] as const,
};

export type PageListStatus = "open" | "acknowledged" | "all";

export interface IncidentFilters {
  status?: "active" | "resolved" | Incident["status"];
  severity?: string;
  mine?: "true";
  drill?: "true" | "false";
  limit?: number;
}

export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: () => call("Could not check who you are", api.GET("/api/v1/me")),
    retry: (count, error) => !(isApiError(error) && error.status === 401) && count < 2,
    staleTime: 60_000,
  });
}

export function useSetupState() {
  return useQuery({
    queryKey: keys.setup,
    queryFn: () => call("Could not check the first-run setup", api.GET("/api/v1/setup")),
    staleTime: 60_000,
  });
}

/** A list of incidents, a page at a time (the API's cursor); `fetchNextPage` shows more. */
export function useIncidentList(filters: IncidentFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: keys.incidentList(filters),
    queryFn: ({ pageParam }) =>
      call(
        "Could not load the incidents",
        api.GET("/api/v1/incidents", {
          params: { query: { ...filters, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useIncident(ref: string) {
  return useQuery({
    queryKey: keys.incident(ref),
    queryFn: () =>
      call(`Could not load ${ref}`, api.GET("/api/v1/incidents/{id}", { params: { path: { id: ref } } })),
  });
}

/** The newest page of the timeline (a long incident can have more than one), oldest first like the API. */
export function useTimeline(ref: string) {
  return useQuery({
    queryKey: keys.timeline(ref),
    queryFn: async () => {
      const page = await call(
        `Could not load the timeline of ${ref}`,
        api.GET("/api/v1/incidents/{id}/timeline", {
          params: { path: { id: ref }, query: { order: "desc" } },
        }),
      );
      return { ...page, items: [...page.items].reverse() };
    },
  });
}

export function useUpdates(ref: string) {
  return useQuery({
    queryKey: keys.updates(ref),
    queryFn: () =>
      call(
        `Could not load the status updates of ${ref}`,
        api.GET("/api/v1/incidents/{id}/updates", { params: { path: { id: ref } } }),
      ),
  });
}

export function useRoleHistory(ref: string) {
  return useQuery({
    queryKey: keys.roleHistory(ref),
    queryFn: () =>
      call(
        `Could not load who held the roles of ${ref}`,
        api.GET("/api/v1/incidents/{id}/roles/history", { params: { path: { id: ref } } }),
      ),
  });
}

export function useUsers() {
  return useQuery({
    queryKey: keys.users,
    queryFn: () => call("Could not load the people", api.GET("/api/v1/users")),
    staleTime: 60_000,
  });
}

/** My pages, newest first; open ones are those still waiting for someone to acknowledge. */
export function useMyPages(status: PageListStatus, { poll = false }: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: keys.myPages(status),
    queryFn: () =>
      call("Could not load your pages", api.GET("/api/v1/pages", { params: { query: { status } } })),
    // Paging is the one thing that must not wait for a reload: read again now and then as well.
    ...(poll ? { refetchInterval: 30_000 } : {}),
  });
}

export function usePlanDocument() {
  return useQuery({
    queryKey: keys.plan,
    queryFn: () => call("Could not load the plan", api.GET("/api/v1/plan")),
    staleTime: 5 * 60_000,
  });
}

/** After a change to an incident: everything shown about it, under its reference and its id, and the lists. */
export function refreshIncident(client: QueryClient, incident: { id: string; reference: string }): void {
  void client.invalidateQueries({ queryKey: keys.incident(incident.reference) });
  if (incident.id !== incident.reference)
    void client.invalidateQueries({ queryKey: keys.incident(incident.id) });
  void client.invalidateQueries({ queryKey: keys.incidents });
}

/** Stores the incident an action answered with, so the room shows it before the refetch. */
export function storeIncident(client: QueryClient, incident: Incident): void {
  client.setQueryData(keys.incident(incident.reference), incident);
  refreshIncident(client, incident);
}
