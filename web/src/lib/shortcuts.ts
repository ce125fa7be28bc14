/**
 * Keyboard shortcuts: single keys and "g then x" sequences, ignored while the
 * focus is in a field (where letters are text). Listed on `?`.
 */
export type ShortcutAction =
  | "help"
  | "declare"
  | "timeline"
  | "update"
  | "go-incidents"
  | "go-plan"
  | "go-status-page"
  | "go-alerts"
  | "go-on-call"
  | "go-me"
  | "go-admin";

export interface Shortcut {
  keys: string;
  action: ShortcutAction;
  description: string;
  /** Where it works, when not everywhere. */
  where?: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "?", action: "help", description: "Show the keyboard shortcuts" },
  { keys: "d", action: "declare", description: "Declare an incident" },
  { keys: "c", action: "timeline", description: "Write in the timeline", where: "incident room" },
  { keys: "u", action: "update", description: "Write a status update", where: "incident room" },
  { keys: "g i", action: "go-incidents", description: "Go to the incidents" },
  { keys: "g p", action: "go-plan", description: "Go to the plan" },
  { keys: "g s", action: "go-status-page", description: "Go to the status page" },
  { keys: "g l", action: "go-alerts", description: "Go to the alerts" },
  { keys: "g o", action: "go-on-call", description: "Go to who is on call" },
  { keys: "g m", action: "go-me", description: "Go to my paging (open pages, contact methods)" },
  { keys: "g a", action: "go-admin", description: "Go to the admin pages" },
];

/** Keys that work inside fields too, shown in the same list. */
export const FIELD_SHORTCUTS = [
  { keys: "Ctrl Enter", description: "Send what you are writing (timeline, status update)" },
  { keys: "Esc", description: "Close a dialog or menu" },
] as const;

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether the focus is in a text field, select or editable element. */
  inField: boolean;
}

export interface Match {
  action: ShortcutAction | null;
  /** The first key of a sequence, waiting for the second. */
  pending: string | null;
}

export function matchShortcut(input: KeyInput, pending: string | null): Match {
  if (input.inField || input.ctrlKey || input.metaKey || input.altKey) return { action: null, pending: null };
  const typed = pending ? `${pending} ${input.key}` : input.key;
  const found = SHORTCUTS.find((s) => s.keys === typed);
  if (found) return { action: found.action, pending: null };
  if (!pending && SHORTCUTS.some((s) => s.keys.startsWith(`${input.key} `))) {
    return { action: null, pending: input.key };
  }
  return { action: null, pending: null };
}

export function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  }
  return false;
}
