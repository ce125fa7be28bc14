import { planOf } from "../../api/plan";
import { usePlanDocument } from "../../api/queries";
import type { Delivery, Incident } from "../../api/types";
import { canRespond, useSession } from "../../app/session";
import { ErrorAlert } from "../../components/error-alert";
import { useRetryDelivery } from "./actions";

const STATE_TEXT: Record<Delivery["state"], string> = {
  queued: "queued",
  sending: "sending",
  delivered: "delivered",
  failed: "failed, will retry",
  dead: "gave up",
};

/** Where an update went, channel by channel, and a way to send a failed one again. */
export function Deliveries({ incident, deliveries }: { incident: Incident; deliveries: Delivery[] }) {
  const user = useSession();
  const planDoc = usePlanDocument();
  const retry = useRetryDelivery(incident);
  if (deliveries.length === 0) return null;
  const names = new Map((planDoc.data ? planOf(planDoc.data).channels : []).map((c) => [c.id, c.name]));
  return (
    <>
      <ul className="deliveries small">
        {deliveries.map((d) => (
          <li key={d.id} className="delivery" data-state={d.state}>
            <span>
              {names.get(d.channelId) ?? d.channelId}
              {d.target !== "channel" ? ` → ${d.target}` : ""}: <strong>{STATE_TEXT[d.state]}</strong>
              {d.lastError && d.state !== "delivered" ? (
                <span className="muted"> ({d.lastError})</span>
              ) : null}
            </span>
            {canRespond(user) && (d.state === "failed" || d.state === "dead") ? (
              <button
                type="button"
                className="button button-small"
                disabled={retry.isPending}
                onClick={() => retry.mutate(d.id)}
              >
                Send again
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorAlert error={retry.error} />
    </>
  );
}
