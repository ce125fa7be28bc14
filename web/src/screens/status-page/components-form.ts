import type { PageComponentSetting } from "./queries";

/**
 * The components list as the editor holds it: one row per component, in page
 * order. Checked with the server's rules and words, keyed by the paths the
 * server uses (`components.2.id`), so a message does not change on save.
 */
export const COMPONENT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const ID_RULE = "use 1-63 lowercase letters, digits, '-' or '_', starting with a letter or digit";
export const ROW_FIELDS = ["id", "name", "group", "description", "showUptime", "onlyShowIfDegraded"] as const;

export interface ComponentRow {
  /** Stable across renames and moves, for React and for focus. */
  key: string;
  id: string;
  name: string;
  group: string;
  description: string;
  showUptime: boolean;
  onlyShowIfDegraded: boolean;
  /** Added here: its id can still change. An existing component keeps its id, which history refers to. */
  isNew: boolean;
  /** The id was typed, so it no longer follows the name. */
  idEdited: boolean;
}

export interface ComponentInput {
  id: string;
  name: string;
  group: string | null;
  description: string | null;
  showUptime: boolean;
  onlyShowIfDegraded: boolean;
}

export function rowsOf(components: readonly PageComponentSetting[]): ComponentRow[] {
  return components.map((c) => ({
    key: `existing:${c.id}`,
    id: c.id,
    name: c.name,
    group: c.group ?? "",
    description: c.description ?? "",
    showUptime: c.showUptime,
    onlyShowIfDegraded: c.onlyShowIfDegraded,
    isNew: false,
    idEdited: false,
  }));
}

export function newRow(key: string): ComponentRow {
  return {
    key,
    id: "",
    name: "",
    group: "",
    description: "",
    showUptime: true,
    onlyShowIfDegraded: false,
    isNew: true,
    idEdited: false,
  };
}

/** An id for a new component from its name: "Card payments (EU)" → "card-payments-eu", unique in the list. */
export function suggestId(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, 63)
      .replace(/[-_]+$/, "") || "component";
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 63 - suffix.length).replace(/[-_]+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A row after its name changed: a new row's id follows the name until the id is typed. */
export function renamed(rows: readonly ComponentRow[], index: number, name: string): ComponentRow[] {
  return rows.map((row, i) => {
    if (i !== index) return row;
    if (!row.isNew || row.idEdited) return { ...row, name };
    const taken = new Set(rows.filter((_, j) => j !== index).map((r) => r.id));
    return { ...row, name, id: name.trim() ? suggestId(name, taken) : "" };
  });
}

/** Moves the row at `index` by `delta` places, within the list. */
export function moveRow<T>(rows: readonly T[], index: number, delta: number): T[] {
  const to = Math.min(Math.max(index + delta, 0), rows.length - 1);
  if (to === index || index < 0 || index >= rows.length) return [...rows];
  const next = [...rows];
  const [row] = next.splice(index, 1);
  next.splice(to, 0, row as T);
  return next;
}

/** The groups already in use, in page order, for the group field's suggestions. */
export function groupSuggestions(rows: readonly ComponentRow[]): string[] {
  return [...new Set(rows.map((r) => r.group.trim()).filter(Boolean))];
}

/** What the form can tell before asking the server, by path (`components.3.name`). */
export function checkComponents(rows: readonly ComponentRow[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const at = (field: string) => `components.${i}.${field}`;
    const id = row.id.trim();
    if (!COMPONENT_ID.test(id)) errors[at("id")] = id ? ID_RULE : `give it an id: ${ID_RULE}`;
    else if (seen.has(id)) errors[at("id")] = `"${id}" is listed twice`;
    seen.add(id);
    if (!row.name.trim()) errors[at("name")] = "give the component a name";
    else if (row.name.trim().length > 100) errors[at("name")] = "at most 100 characters";
    if (row.group.trim().length > 100) errors[at("group")] = "at most 100 characters";
    if (row.description.trim().length > 500) errors[at("description")] = "at most 500 characters";
  });
  if (rows.length > 200) errors.components = "at most 200 components";
  return errors;
}

/** The body of PUT /api/v1/statuspage/components: the whole list, in page order. */
export function toComponentsBody(rows: readonly ComponentRow[]): { components: ComponentInput[] } {
  return {
    components: rows.map((row) => ({
      id: row.id.trim(),
      name: row.name.trim(),
      group: row.group.trim() || null,
      description: row.description.trim() || null,
      showUptime: row.showUptime,
      onlyShowIfDegraded: row.onlyShowIfDegraded,
    })),
  };
}

export function sameComponents(a: readonly ComponentRow[], b: readonly ComponentRow[]): boolean {
  return JSON.stringify(toComponentsBody(a)) === JSON.stringify(toComponentsBody(b));
}

/**
 * The form's field for an issue's path. Schema errors say `body.components.2.id`;
 * the plan's own checks (after the YAML is written) say `components.2.show_uptime`.
 */
export function componentFieldOf(path: string): string {
  return path
    .replace(/^body\./, "")
    .replace(/\.show_uptime$/, ".showUptime")
    .replace(/\.only_show_if_degraded$/, ".onlyShowIfDegraded");
}
