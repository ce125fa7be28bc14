import { type QueryClient, useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import { keys } from "../../api/queries";
import type { components, paths } from "../../api/schema";

type Schemas = components["schemas"];
export type StatusPageInfo =
  paths["/api/v1/statuspage"]["get"]["responses"][200]["content"]["application/json"];
export type PageSettings = Schemas["PageSettings"];
export type PageComponentSetting = Schemas["PageComponentSetting"];
export type Maintenance = Schemas["Maintenance"];
export type MaintenanceStatus = Maintenance["status"];
export type MaintenanceList = "active" | "upcoming" | "completed";

/** Query keys of the status page's screens: the page (settings, components, freshness) and maintenances. */
export const pageKeys = {
  page: ["statuspage"] as const,
  maintenances: ["maintenances"] as const,
  maintenanceList: (list: MaintenanceList) => ["maintenances", list] as const,
};

/** `fresh`: read it again whenever the screen opens (the overview, whose point is how things are now). */
export function useStatusPage({ fresh = false }: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: pageKeys.page,
    queryFn: () => call("Could not load the status page", api.GET("/api/v1/statuspage")),
    // No live events for the page itself: its freshness is read again now and then.
    refetchInterval: 30_000,
    ...(fresh ? { staleTime: 0 } : {}),
  });
}

export function useMaintenances(list: MaintenanceList) {
  return useQuery({
    queryKey: pageKeys.maintenanceList(list),
    queryFn: () =>
      call(
        `Could not load the ${list} maintenances`,
        api.GET("/api/v1/maintenances", { params: { query: { status: list } } }),
      ),
    refetchInterval: 30_000,
  });
}

/**
 * After a change to the page's settings or components (kept in the plan, a new version): the answer
 * is stored at once, so the editor does not go back to what it had before while the page reloads.
 */
export function storePage(
  client: QueryClient,
  change: { settings?: PageSettings; components?: readonly PageComponentSetting[] },
): void {
  client.setQueryData<StatusPageInfo>(pageKeys.page, (current) => {
    if (!current) return current;
    const status = new Map(current.components.map((c) => [c.id, c.status]));
    return {
      ...current,
      ...(change.settings ? { settings: change.settings } : {}),
      ...(change.components
        ? { components: change.components.map((c) => ({ ...c, status: status.get(c.id) ?? "operational" })) }
        : {}),
    };
  });
  void client.invalidateQueries({ queryKey: pageKeys.page });
  void client.invalidateQueries({ queryKey: keys.plan });
}

/** After a maintenance changed: every list (it may have moved between them) and the page's statuses. */
export function refreshMaintenances(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: pageKeys.maintenances });
  void client.invalidateQueries({ queryKey: pageKeys.page });
}
