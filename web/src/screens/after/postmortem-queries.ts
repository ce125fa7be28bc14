import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import { isApiError } from "../../api/problem";
import { refreshIncident } from "../../api/queries";
import type { components } from "../../api/schema";
import type { Incident } from "../../api/types";
import { useDebounced } from "../../lib/use-debounced";

export type Postmortem = components["schemas"]["Postmortem"];

/** Under the incident's key, so a live event about the incident refreshes its postmortem too. */
export const postmortemKey = (reference: string) => ["incident", reference, "postmortem"] as const;

export function usePostmortem(reference: string) {
  return useQuery({
    queryKey: postmortemKey(reference),
    queryFn: async (): Promise<Postmortem | null> => {
      try {
        return await call(
          `Could not load the postmortem of ${reference}`,
          api.GET("/api/v1/incidents/{id}/postmortem", { params: { path: { id: reference } } }),
        );
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });
}

function store(client: QueryClient, incident: Incident, postmortem: Postmortem): void {
  client.setQueryData(postmortemKey(incident.reference), postmortem);
  refreshIncident(client, incident);
}

/** One change to the postmortem; whatever the answer, the screen ends up showing the server's copy. */
export function useChange<T>(incident: Incident, run: (input: T) => Promise<Postmortem>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (next) => store(client, incident, next),
    onError: () => void client.invalidateQueries({ queryKey: postmortemKey(incident.reference) }),
  });
}

/** The server's rendering of what is being typed, a moment after typing stops. */
export function usePreview(markdown: string, enabled: boolean) {
  const settled = useDebounced(markdown, 300);
  return useQuery({
    queryKey: ["markdown-preview", settled],
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () =>
      call(
        "Could not preview the Markdown",
        api.POST("/api/v1/markdown/preview", { body: { markdown: settled } }),
      ),
  });
}
