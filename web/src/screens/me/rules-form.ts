import { fieldPath } from "../../api/problem";
import type { NotificationRule } from "../../api/types";

/** A row of the rules editor: which method, how many minutes into a page (as typed). */
export interface RuleRow {
  key: string;
  contactMethodId: string;
  delay: string;
}

export const MAX_DELAY_MINUTES = 1_440;
export const MAX_RULES = 20;

export function rowsOf(rules: readonly NotificationRule[]): RuleRow[] {
  return [...rules]
    .sort((a, b) => a.delayMinutes - b.delayMinutes)
    .map((rule) => ({
      key: rule.id,
      contactMethodId: rule.contactMethodId,
      delay: String(rule.delayMinutes),
    }));
}

/** What is wrong with each row before asking the server: `${index}.delay` or `${index}.contactMethodId`. */
export function checkRules(rows: readonly RuleRow[]): Record<string, string> {
  const found: Record<string, string> = {};
  rows.forEach((row, index) => {
    if (!row.contactMethodId) found[`${index}.contactMethodId`] = "pick a contact method";
    const text = row.delay.trim();
    const minutes = Number(text);
    if (!/^\d+$/.test(text)) found[`${index}.delay`] = "whole minutes, 0 for at once";
    else if (minutes > MAX_DELAY_MINUTES) found[`${index}.delay`] = "at most a day (1440 minutes)";
  });
  return found;
}

export function toRulesBody(rows: readonly RuleRow[]) {
  return rows.map((row) => ({
    contactMethodId: row.contactMethodId,
    delayMinutes: Number(row.delay.trim()),
  }));
}

/** The row field a server issue names ("body.2.delayMinutes" is row 2's delay), or null. */
export function ruleFieldOf(path: string): string | null {
  const match = /^(\d+)\.(delayMinutes|contactMethodId)$/.exec(fieldPath(path));
  if (!match) return null;
  return `${match[1]}.${match[2] === "delayMinutes" ? "delay" : "contactMethodId"}`;
}

export function sameRules(a: readonly RuleRow[], b: readonly RuleRow[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (row, i) => row.contactMethodId === b[i]?.contactMethodId && row.delay.trim() === b[i]?.delay.trim(),
    )
  );
}
