import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, call } from "../../api/client";
import { keys, refreshIncident, storeIncident } from "../../api/queries";
import type { EntryKind, Incident, Phase, Status } from "../../api/types";

/** The room's actions. Each one refreshes the room; other people see it through the event stream. */

export function useChangeStatus(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { status: Status; reason?: string; override?: boolean }) =>
      call(
        body.status === "resolved"
          ? `Could not resolve ${incident.reference}`
          : `Could not change the status`,
        api.POST("/api/v1/incidents/{id}/status", {
          params: { path: { id: incident.id } },
          // Refused (409) when someone changed the incident since this page read it.
          headers: { "if-match": `"${incident.version}"` },
          body,
        }),
      ),
    onSuccess: (next) => storeIncident(client, next),
    onError: () => refreshIncident(client, incident),
  });
}

export function useHandOver(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ roleId, userId }: { roleId: string; userId: string }) =>
      call(
        "Could not hand the role over",
        api.PUT("/api/v1/incidents/{id}/roles/{roleId}", {
          params: { path: { id: incident.id, roleId } },
          body: { userId },
        }),
      ),
    onSuccess: (next) => storeIncident(client, next),
  });
}

export function useTick(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ itemId, done }: { itemId: string; done: boolean }) =>
      call(
        "Could not change the checklist",
        api.PUT("/api/v1/incidents/{id}/checklist/{itemId}", {
          params: { path: { id: incident.id, itemId } },
          body: { done },
        }),
      ),
    // The answer goes into the room at once, so the box does not flicker back while the room reloads.
    onSuccess: (item) =>
      client.setQueryData<Incident>(keys.incident(incident.reference), (current) =>
        current
          ? { ...current, checklist: current.checklist.map((i) => (i.id === item.id ? item : i)) }
          : current,
      ),
    onSettled: () => refreshIncident(client, incident),
  });
}

export function useAppendEntry(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: EntryKind; body: string; final?: boolean }) =>
      call(
        "Could not add to the timeline",
        api.POST("/api/v1/incidents/{id}/timeline", { params: { path: { id: incident.id } }, body }),
      ),
    onSuccess: () => refreshIncident(client, incident),
  });
}

export function useConfirmFix(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (entryId: string) =>
      call(
        "Could not confirm the final fix",
        api.POST("/api/v1/incidents/{id}/timeline/{entryId}/confirm", {
          params: { path: { id: incident.id, entryId } },
        }),
      ),
    onSuccess: () => refreshIncident(client, incident),
  });
}

export interface UpdateDraftBody {
  phase: Phase;
  subject?: string;
  body?: string;
}

export function usePreviewUpdate(incident: Incident) {
  return useMutation({
    mutationFn: (body: UpdateDraftBody) =>
      call(
        "Could not fill the template",
        api.POST("/api/v1/incidents/{id}/updates/preview", { params: { path: { id: incident.id } }, body }),
      ),
  });
}

export function usePostUpdate(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (
      body: UpdateDraftBody & {
        audience?: "internal" | "external";
        channels: string[];
        confirmShortened: string[];
      },
    ) =>
      call(
        "Could not post the status update",
        api.POST("/api/v1/incidents/{id}/updates", { params: { path: { id: incident.id } }, body }),
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.updates(incident.reference) });
      refreshIncident(client, incident);
    },
  });
}

export function useRetryDelivery(incident: Incident) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      call(
        "Could not send the delivery again",
        api.POST("/api/v1/incidents/{id}/deliveries/{deliveryId}/retry", {
          params: { path: { id: incident.id, deliveryId } },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.updates(incident.reference) }),
  });
}
