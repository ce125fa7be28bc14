import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, callVoid } from "../../api/client";
import type { components, paths } from "../../api/schema";
import type { PlanDocument } from "../../api/types";

export type ActionItem = components["schemas"]["ActionItem"];
export type ActionStatus = ActionItem["status"];
export type NewActionItem =
  paths["/api/v1/incidents/{id}/action-items"]["post"]["requestBody"]["content"]["application/json"];
export type ActionItemChange =
  paths["/api/v1/action-items/{id}"]["patch"]["requestBody"]["content"]["application/json"];
export type ActionItemQuery = NonNullable<paths["/api/v1/action-items"]["get"]["parameters"]["query"]>;

export const STATUS_TEXT: Record<ActionStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  wont_do: "Won't do",
};
export const ACTION_STATUSES = Object.keys(STATUS_TEXT) as ActionStatus[];

/** An incident's items live under its key, so a live event about the incident refreshes them. */
export const incidentItemsKey = (reference: string) => ["incident", reference, "action-items"] as const;
/** Lists across incidents. */
export const itemListKey = (query: ActionItemQuery) => ["action-items", query] as const;

export function useIncidentActionItems(reference: string) {
  return useQuery({
    queryKey: incidentItemsKey(reference),
    queryFn: () =>
      call(
        `Could not load the action items of ${reference}`,
        api.GET("/api/v1/incidents/{id}/action-items", { params: { path: { id: reference } } }),
      ),
  });
}

export function useActionItemList(query: ActionItemQuery) {
  return useQuery({
    queryKey: itemListKey(query),
    queryFn: () =>
      call("Could not load the action items", api.GET("/api/v1/action-items", { params: { query } })),
  });
}

function refreshItems(client: QueryClient, reference: string): void {
  void client.invalidateQueries({ queryKey: incidentItemsKey(reference) });
  void client.invalidateQueries({ queryKey: ["action-items"] });
  // The timeline gained an entry.
  void client.invalidateQueries({ queryKey: ["incident", reference, "timeline"] });
}

export function useAddActionItem(incident: { id: string; reference: string }) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewActionItem) =>
      call(
        "Could not add the action item",
        api.POST("/api/v1/incidents/{id}/action-items", { params: { path: { id: incident.id } }, body }),
      ),
    onSuccess: () => refreshItems(client, incident.reference),
  });
}

/** Changes an item as it was read: a change someone made meanwhile is refused (409) and reloaded. */
export function useChangeActionItem() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ item, change }: { item: ActionItem; change: ActionItemChange }) =>
      call(
        `Could not change "${item.title}"`,
        api.PATCH("/api/v1/action-items/{id}", {
          params: { path: { id: item.id } },
          headers: { "if-match": `"${item.version}"` },
          body: change,
        }),
      ),
    onSettled: (_data, _error, { item }) => refreshItems(client, item.incident.reference),
  });
}

export function useRemoveActionItem() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (item: ActionItem) =>
      callVoid(
        `Could not remove "${item.title}"`,
        api.DELETE("/api/v1/action-items/{id}", {
          params: { path: { id: item.id } },
          headers: { "if-match": `"${item.version}"` },
        }),
      ),
    onSettled: (_data, _error, item) => refreshItems(client, item.incident.reference),
  });
}

export interface Priority {
  id: string;
  name: string;
  /** The plan's duration, such as "4w"; absent: no due date by default. */
  due_in?: string;
}

/** The plan's action item priorities (src/plan/schema.ts ActionItemRules), read from the plan document. */
export function planPriorities(document: PlanDocument | undefined): Priority[] {
  const rules = (document?.plan as { action_items?: { priorities?: Priority[] } } | undefined)?.action_items;
  return rules?.priorities ?? [];
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A plan duration ("4w", "1d12h") in milliseconds; null when it is not one. */
export function planDurationMs(text: string): number | null {
  if (!/^(?:\d+[smhdw])+$/.test(text)) return null;
  let ms = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)([smhdw])/g)) ms += Number(amount) * UNIT_MS[unit!]!;
  return ms;
}

/** When an item of this priority added at `now` is due by default, or null for none. */
export function defaultDue(priority: Priority | undefined, now: Date): Date | null {
  const ms = priority?.due_in ? planDurationMs(priority.due_in) : null;
  return ms === null ? null : new Date(now.getTime() + ms);
}

/** A date input's value (YYYY-MM-DD, the viewer's day) as the end of that day, as an ISO instant. */
export function endOfDayIso(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T23:59:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Items grouped by a key (owner or team), groups in order of their soonest item. */
export function groupItems(
  items: readonly ActionItem[],
  by: "owner" | "team",
): Array<{ key: string; label: string; items: ActionItem[] }> {
  const groups = new Map<string, { key: string; label: string; items: ActionItem[] }>();
  for (const item of items) {
    const key = by === "owner" ? (item.owner?.id ?? "") : (item.team ?? "");
    const label =
      by === "owner" ? (item.owner ? item.owner.name : "Nobody yet") : item.team ? item.team : "No team";
    const group = groups.get(key) ?? { key, label, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()];
}
