import type { Ctx } from "../context.ts";
import { readBool } from "../store/values.ts";

/** Tells live followers that an incident changed; called after the change has committed. */
export function announce(
  ctx: Ctx,
  incident: { id: string; reference: string; version: number; private: boolean | number },
  kind: string,
): void {
  ctx.events.publish({
    incidentId: incident.id,
    reference: incident.reference,
    version: incident.version,
    private: readBool(incident.private),
    kind,
  });
}
