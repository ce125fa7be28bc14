import { z } from "zod";

export const ORG_ROLES = ["viewer", "responder", "admin"] as const;
export const OrgRole = z.enum(ORG_ROLES);
export type OrgRole = z.infer<typeof OrgRole>;

/** Who is acting: a signed-in person (by session or API token) or Runsheet itself (jobs). */
export type Actor =
  | { kind: "user"; user: UserSummary & { role: OrgRole }; via: "session" | "token" | "cli" }
  | { kind: "system" };

export interface UserSummary {
  id: string;
  email: string;
  name: string;
}

export interface User extends UserSummary {
  role: OrgRole;
  timezone: string;
  createdAt: string;
  disabled: boolean;
}

/** Who may call something: anyone, any signed-in user at least of a role. */
export type Access = "public" | OrgRole;

const RANK: Record<OrgRole, number> = { viewer: 1, responder: 2, admin: 3 };

export function hasRole(actor: Actor, needed: OrgRole): boolean {
  if (actor.kind === "system") return true;
  return RANK[actor.user.role] >= RANK[needed];
}

export function isAdmin(actor: Actor): boolean {
  return actor.kind === "system" || actor.user.role === "admin";
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.user.id : null;
}
