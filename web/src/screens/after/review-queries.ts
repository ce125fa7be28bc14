import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import { isApiError } from "../../api/problem";
import { refreshIncident, storeIncident } from "../../api/queries";
import type { components, paths } from "../../api/schema";
import type { Incident } from "../../api/types";

export type Review = components["schemas"]["Review"];
export type ReviewChange =
  paths["/api/v1/incidents/{id}/review"]["patch"]["requestBody"]["content"]["application/json"];

/** Under the incident's key (its reference), so a live event about the incident refreshes its review too. */
export const reviewKey = (reference: string) => ["incident", reference, "review"] as const;

/** The incident's review, or null when it has none (yet). */
export function useReview(reference: string) {
  return useQuery({
    queryKey: reviewKey(reference),
    queryFn: async (): Promise<Review | null> => {
      try {
        return await call(
          `Could not load the review of ${reference}`,
          api.GET("/api/v1/incidents/{id}/review", { params: { path: { id: reference } } }),
        );
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });
}

function storeReview(client: QueryClient, incident: Incident, review: Review): void {
  client.setQueryData(reviewKey(incident.reference), review);
  refreshIncident(client, incident);
}

export function useOpenReview(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call(
        `Could not open a review of ${incident.reference}`,
        api.POST("/api/v1/incidents/{id}/review", { params: { path: { id: incident.id } } }),
      ),
    onSuccess: (review) => storeReview(client, incident, review),
  });
}

/** Changes the review as it was read: a change someone made meanwhile is refused (409) and reloaded. */
export function useChangeReview(incident: Incident, review: Review, action: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewChange) =>
      call(
        action,
        api.PATCH("/api/v1/incidents/{id}/review", {
          params: { path: { id: incident.id } },
          headers: { "if-match": `"${review.version}"` },
          body,
        }),
      ),
    onSuccess: (next) => storeReview(client, incident, next),
    onError: () => void client.invalidateQueries({ queryKey: reviewKey(incident.reference) }),
  });
}

/** Ticks a checklist item, showing the tick at once (a controlled box would not move until the answer). */
export function useTickReview(incident: Incident, review: Review) {
  const client = useQueryClient();
  const key = reviewKey(incident.reference);
  return useMutation({
    mutationFn: ({ index, done }: { index: number; done: boolean }) =>
      call(
        "Could not change the checklist",
        api.PATCH("/api/v1/incidents/{id}/review", {
          params: { path: { id: incident.id } },
          headers: { "if-match": `"${review.version}"` },
          body: { checklist: [{ index, done }] },
        }),
      ),
    onMutate: async ({ index, done }) => {
      await client.cancelQueries({ queryKey: key });
      client.setQueryData<Review | null>(key, (current) =>
        current
          ? { ...current, checklist: current.checklist.map((c, i) => (i === index ? { ...c, done } : c)) }
          : current,
      );
    },
    onSuccess: (next) => storeReview(client, incident, next),
    onError: () => void client.invalidateQueries({ queryKey: key }),
  });
}

export function useDecide(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { publicPostmortem: boolean; reason: string }) =>
      call(
        "Could not record the decision",
        api.POST("/api/v1/incidents/{id}/review/decision", { params: { path: { id: incident.id } }, body }),
      ),
    onSuccess: (next) => storeReview(client, incident, next),
  });
}

export function useCloseIncident(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      call(
        `Could not close ${incident.reference}`,
        api.POST("/api/v1/incidents/{id}/close", {
          params: { path: { id: incident.id } },
          headers: { "if-match": `"${incident.version}"` },
        }),
      ),
    onSuccess: (next) => {
      storeIncident(client, next);
      void client.invalidateQueries({ queryKey: reviewKey(incident.reference) });
    },
    onError: () => refreshIncident(client, incident),
  });
}
