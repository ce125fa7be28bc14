import { type QueryClient, useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import type { paths } from "../../api/schema";

type Json<P extends keyof paths, M extends "get" | "post"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : paths[P][M] extends { responses: { 201: { content: { "application/json": infer T } } } }
    ? T
    : never;

export type Schedule = Json<"/api/v1/schedules", "get">["items"][number];
export type Layer = Schedule["layers"][number];
export type Coverage = Json<"/api/v1/schedules/{id}/coverage", "get">;
export type CoverageShift = Coverage["shifts"][number];
export type LayerShift = Coverage["layers"][number]["shifts"][number];
export type Override = Json<"/api/v1/schedules/{id}/overrides", "get">["items"][number];

/** Query keys of the on-call screens: everything under ["schedules"], so a change refreshes it all. */
export const scheduleKeys = {
  all: ["schedules"] as const,
  coverage: (id: string, from: string, to: string) => ["schedules", id, "coverage", from, to] as const,
  overrides: (id: string) => ["schedules", id, "overrides"] as const,
};

/** Who is on call changes with the clock, not with an event: read again every minute. */
export function useSchedules() {
  return useQuery({
    queryKey: scheduleKeys.all,
    queryFn: () => call("Could not load the schedules", api.GET("/api/v1/schedules")),
    refetchInterval: 60_000,
  });
}

export function useCoverage(id: string, from: string, to: string) {
  return useQuery({
    queryKey: scheduleKeys.coverage(id, from, to),
    queryFn: () =>
      call(
        "Could not load who is on call",
        api.GET("/api/v1/schedules/{id}/coverage", {
          params: { path: { id }, query: { from, to } },
        }),
      ),
    // Paging through weeks keeps the last answer on screen until the next one arrives.
    placeholderData: (previous) => (previous?.scheduleId === id ? previous : undefined),
  });
}

export function useOverrides(id: string) {
  return useQuery({
    queryKey: scheduleKeys.overrides(id),
    queryFn: () =>
      call(
        "Could not load the overrides",
        api.GET("/api/v1/schedules/{id}/overrides", { params: { path: { id } } }),
      ),
  });
}

/** After an override came or went: who is on call now, the timeline and the list. */
export function refreshSchedules(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: scheduleKeys.all });
}
