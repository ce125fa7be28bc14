import { type QueryClient, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import { keys } from "../../api/queries";

export type AlertListStatus = "open" | "resolved";

export interface AlertFilters {
  status: AlertListStatus;
  integration?: string;
}

/** Query keys: alerts under keys.alerts (live events refresh them), integrations on their own. */
export const alertKeys = {
  list: (filters: AlertFilters) => [...keys.alerts, filters] as const,
  integrations: ["integrations"] as const,
};

const PAGE = 50;

/** Alerts, newest first, a page at a time; no live event for a new alert, so read again now and then. */
export function useAlerts(filters: AlertFilters) {
  return useInfiniteQuery({
    queryKey: alertKeys.list(filters),
    queryFn: ({ pageParam }) =>
      call(
        `Could not load the ${filters.status} alerts`,
        api.GET("/api/v1/alerts", {
          params: {
            query: {
              status: filters.status,
              limit: PAGE,
              ...(filters.integration ? { integration: filters.integration } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor,
    // New alerts raise no live event: read again on every visit, and now and then while open.
    staleTime: 0,
    refetchInterval: 15_000,
  });
}

export function useIntegrations() {
  return useQuery({
    queryKey: alertKeys.integrations,
    queryFn: () => call("Could not load the integrations", api.GET("/api/v1/integrations")),
    staleTime: 60_000,
  });
}

/** After an alert changed: every list (it may move from open to resolved) and the incidents it touched. */
export function refreshAlerts(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: keys.alerts });
  void client.invalidateQueries({ queryKey: keys.incidents });
}
