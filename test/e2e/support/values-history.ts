import { newId } from "../../../src/shared/ids.ts";
import { nextCounter } from "../../../src/store/counters.ts";
import type { Store } from "../../../src/store/open.ts";
import type { Database } from "../../../src/store/schema.ts";

/**
 * Twelve weeks of incident history for the values dashboard's screenshot,
 * written straight to the store as bench/values-store.ts does (the domain
 * verbs would stamp everything with the present time): 36 incidents on the
 * example plan's components, two of them drills, each paged and mostly
 * acknowledged within minutes, with external updates mostly on the
 * severity's cadence, mitigated and resolved; reviews for SEV1 and SEV2 held
 * on time or late (or still to hold), postmortems published after them,
 * action items closed on time, late or still open, and one repeat. Detection,
 * acknowledgement and resolution get better over the weeks, so the trends
 * have a shape. The same history every run (a seeded generator), relative to
 * `now`.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKS = 12;

/** Minutes between external updates, as the example plan's severities promise. */
const CADENCE: Record<string, number> = { sev1: 20, sev2: 30, sev3: 60 };

type Severity = "sev1" | "sev2" | "sev3";
interface Script {
  title: string;
  component: string;
  severity: Severity;
  criterion: string;
  drill?: boolean;
  /** The index of the earlier incident this one repeats. */
  repeats?: number;
}

const SCRIPTS: Script[] = [
  {
    title: "Card payments declined at checkout",
    component: "card-payments",
    severity: "sev1",
    criterion: "money-flow-down",
  },
  {
    title: "Invoice emails delayed by up to two hours",
    component: "invoice-emails",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Sign-in codes not arriving by SMS",
    component: "login",
    severity: "sev2",
    criterion: "customer-reports",
  },
  { title: "Public API errors above 2%", component: "public-api", severity: "sev2", criterion: "slo-breach" },
  {
    title: "Dashboard slow to load for EU customers",
    component: "web-app",
    severity: "sev3",
    criterion: "slo-breach",
  },
  {
    title: "Payout batch stuck in processing",
    component: "bank-payouts",
    severity: "sev2",
    criterion: "money-flow-down",
  },
  {
    title: "Drill: primary database failover",
    component: "web-app",
    severity: "sev2",
    criterion: "slo-breach",
    drill: true,
  },
  {
    title: "Webhook deliveries retrying for one partner",
    component: "outgoing-webhooks",
    severity: "sev3",
    criterion: "partner-outage",
  },
  {
    title: "iOS app crashes on launch",
    component: "mobile-apps",
    severity: "sev2",
    criterion: "customer-reports",
  },
  {
    title: "Duplicate invoice numbers on renewals",
    component: "invoice-emails",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Card processor timeouts",
    component: "card-payments",
    severity: "sev1",
    criterion: "partner-outage",
  },
  {
    title: "Password reset links expired on arrival",
    component: "login",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "API rate limits applied to the wrong plans",
    component: "public-api",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Bank payouts sent twice to 14 accounts",
    component: "bank-payouts",
    severity: "sev1",
    criterion: "money-flow-down",
  },
  {
    title: "Search results empty in the web app",
    component: "web-app",
    severity: "sev3",
    criterion: "slo-breach",
  },
  {
    title: "Sign-in codes not arriving by SMS, again",
    component: "login",
    severity: "sev2",
    criterion: "customer-reports",
    repeats: 2,
  },
  {
    title: "Android push notifications stopped",
    component: "mobile-apps",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Webhooks signed with a rotated key",
    component: "outgoing-webhooks",
    severity: "sev2",
    criterion: "partner-outage",
  },
  {
    title: "Checkout page blank in Safari",
    component: "web-app",
    severity: "sev2",
    criterion: "customer-reports",
  },
  {
    title: "Invoice PDFs missing line items",
    component: "invoice-emails",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Public API latency above 2 s",
    component: "public-api",
    severity: "sev2",
    criterion: "slo-breach",
  },
  {
    title: "Drill: status page takeover",
    component: "web-app",
    severity: "sev3",
    criterion: "customer-reports",
    drill: true,
  },
  {
    title: "Card refunds failing for one acquirer",
    component: "card-payments",
    severity: "sev2",
    criterion: "partner-outage",
  },
  {
    title: "Team invitations not delivered",
    component: "login",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Payout reports a day late",
    component: "bank-payouts",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Web app sessions ending after five minutes",
    component: "web-app",
    severity: "sev2",
    criterion: "customer-reports",
  },
  {
    title: "3-D Secure challenges timing out",
    component: "card-payments",
    severity: "sev1",
    criterion: "money-flow-down",
  },
  { title: "Exports stuck in the queue", component: "web-app", severity: "sev3", criterion: "slo-breach" },
  {
    title: "Webhook retries flooding one partner",
    component: "outgoing-webhooks",
    severity: "sev3",
    criterion: "partner-outage",
  },
  {
    title: "Mobile sign-in loop after update",
    component: "mobile-apps",
    severity: "sev2",
    criterion: "customer-reports",
  },
  {
    title: "Public API returning stale balances",
    component: "public-api",
    severity: "sev2",
    criterion: "slo-breach",
  },
  {
    title: "Reminder emails sent to cancelled customers",
    component: "invoice-emails",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Two-factor enrolment failing",
    component: "login",
    severity: "sev3",
    criterion: "customer-reports",
  },
  {
    title: "Card payments slow at peak",
    component: "card-payments",
    severity: "sev2",
    criterion: "slo-breach",
  },
  {
    title: "Payouts held by the bank's fraud check",
    component: "bank-payouts",
    severity: "sev2",
    criterion: "partner-outage",
  },
  { title: "Dashboard charts not loading", component: "web-app", severity: "sev3", criterion: "slo-breach" },
];

const ACTIONS = [
  "Alert on the error rate per dependency",
  "Add a runbook for failing over",
  "Retry with backoff instead of at once",
  "Load-test the new release path",
  "Page the owning team from the alert",
  "Add a canary for this path",
  "Document the rollback steps",
  "Cap the retry queue per partner",
];
const TEAMS = ["payments", "identity", "platform", "mobile"];

/** mulberry32, as bench/values-store.ts. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    /** A whole number in [min, max]. */
    between: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
  };
}

/** What was written, so a test can say what the dashboard should show. */
export interface SeededHistory {
  /** Incidents that count (not drills). */
  counted: number;
  drills: number;
  /** Counted incidents found by monitoring. */
  monitoring: number;
  /** Counted incidents paged, and those whose page was acknowledged. */
  paged: number;
  acknowledged: number;
  unresolved: number;
  repeats: number;
  actionItems: number;
}

type Rows = {
  [T in
    | "users"
    | "incidents"
    | "incident_components"
    | "escalations"
    | "pages"
    | "status_updates"
    | "reviews"
    | "postmortems"
    | "action_items"]: Database[T][];
};

/** Writes the history; `responderId` (the signed-in person) is paged first and owns some action items. */
export async function seedValuesHistory(
  store: Store,
  responderId: string,
  now = Date.now(),
): Promise<SeededHistory> {
  const r = prng(20261127);
  const iso = (ms: number) => new Date(ms).toISOString();
  const rows: Rows = {
    users: [],
    incidents: [],
    incident_components: [],
    escalations: [],
    pages: [],
    status_updates: [],
    reviews: [],
    postmortems: [],
    action_items: [],
  };
  const colleagues = ["Jonas Weber", "Aiko Tanaka", "Samir Haddad"].map((name) => {
    const id = newId();
    rows.users.push({
      id,
      email: `${name.split(" ")[0]!.toLowerCase()}.history@example.com`,
      name,
      timezone: "Europe/Lisbon",
      role: "responder",
      password_hash: null,
      created_at: iso(now - 200 * DAY),
      updated_at: iso(now - 200 * DAY),
      disabled_at: null,
    });
    return id;
  });
  const people = [responderId, ...colleagues];
  const summary: SeededHistory = {
    counted: 0,
    drills: 0,
    monitoring: 0,
    paged: 0,
    acknowledged: 0,
    unresolved: 0,
    repeats: 0,
    actionItems: 0,
  };
  const ids: string[] = [];
  const start = now - WEEKS * 7 * DAY;
  const span = WEEKS * 7 * DAY - 3 * DAY;

  SCRIPTS.forEach((script, n) => {
    // 0 at the start of the twelve weeks, 1 at the end: things get better.
    const progress = n / (SCRIPTS.length - 1);
    const better = 1.5 - progress;
    const declared = start + Math.round((n + 0.5) * (span / SCRIPTS.length)) + r.between(-8, 8) * HOUR;
    const id = newId(declared);
    ids.push(id);
    const detectedBy = r.chance(0.45 + 0.45 * progress)
      ? "monitoring"
      : r.chance(0.75)
        ? "customer"
        : "employee";
    const detectMinutes =
      detectedBy === "monitoring"
        ? r.between(2, 9)
        : detectedBy === "customer"
          ? r.between(20, 75)
          : r.between(8, 30);
    const pace = script.severity === "sev1" ? 0.6 : script.severity === "sev2" ? 1 : 1.6;
    const mitigated = declared + Math.round(r.between(15, 70) * pace * better) * MINUTE;
    const resolved = mitigated + Math.round(r.between(10, 90) * pace * better) * MINUTE;
    rows.incidents.push({
      id,
      number: 0, // set when written, from the store's counter
      reference: "",
      title: script.title,
      summary: null,
      severity: script.severity,
      status: "resolved",
      detected_by: detectedBy,
      criteria: JSON.stringify([script.criterion]),
      impact_started_at: iso(declared - detectMinutes * MINUTE),
      declared_at: iso(declared),
      identified_at: iso(declared + Math.round((mitigated - declared) / 2)),
      monitoring_at: iso(mitigated),
      resolved_at: iso(resolved),
      private: false,
      drill: script.drill ?? false,
      declared_by: people[n % people.length]!,
      plan_version: 1,
      version: 1,
      updated_at: iso(resolved),
      alert_criterion: null,
      closed_at: null,
      closed_by: null,
      repeat_of: script.repeats === undefined ? null : ids[script.repeats]!,
    });
    rows.incident_components.push({
      incident_id: id,
      component_id: script.component,
      impact: script.severity === "sev1" ? "major_outage" : "partial_outage",
    });
    if (script.drill) {
      summary.drills++;
    } else {
      summary.counted++;
      if (detectedBy === "monitoring") summary.monitoring++;
      if (script.repeats !== undefined) summary.repeats++;
    }

    // Paged at once; one night page goes unanswered and the backup takes it.
    const escalation = newId(declared);
    const missed = n === 12;
    const ackAt = declared + Math.round(r.between(1, 7) * better * MINUTE) + (missed ? 5 * MINUTE : 0);
    rows.escalations.push({
      id: escalation,
      incident_id: id,
      role_id: "incident-manager",
      stage: missed ? 1 : 0,
      status: "acknowledged",
      started_at: iso(declared),
      next_at: null,
      acknowledged_at: iso(ackAt),
      acknowledged_by: missed ? colleagues[0]! : responderId,
      version: 1,
      updated_at: iso(ackAt),
      steps: null,
    });
    const page = (user: string, stage: number, at: number, acked: number | null) =>
      rows.pages.push({
        id: newId(at),
        escalation_id: escalation,
        incident_id: id,
        user_id: user,
        stage,
        status: acked === null ? "superseded" : "acknowledged",
        created_at: iso(at),
        acknowledged_at: acked === null ? null : iso(acked),
        acknowledged_via: acked === null ? null : "email",
      });
    page(responderId, 0, declared, missed ? null : ackAt);
    if (missed) page(colleagues[0]!, 1, declared + 5 * MINUTE, ackAt);
    if (!script.drill) {
      summary.paged++;
      summary.acknowledged++;
    }

    // External updates: the first within minutes, then on the severity's cadence, now and then late.
    const cadence = CADENCE[script.severity]! * MINUTE;
    let last = declared + r.between(4, 15) * MINUTE;
    const update = (at: number, due: number | null, phase: string) =>
      rows.status_updates.push({
        id: newId(at),
        incident_id: id,
        phase,
        subject: null,
        body: `${script.title}: ${phase}.`,
        audience: "external",
        author_id: responderId,
        created_at: iso(at),
        due_at: due === null ? null : iso(due),
        public: true,
      });
    update(last, null, "investigating");
    while (last + cadence < resolved) {
      const due = last + cadence;
      const at = r.chance(0.12) ? due + r.between(3, 12) * MINUTE : due - r.between(0, 6) * MINUTE;
      update(at, due, at < mitigated ? "identified" : "monitoring");
      last = at;
    }
    update(resolved + r.between(1, 5) * MINUTE, null, "resolved");

    // SEV1 and SEV2: a review within five business days, mostly held on time, and a postmortem.
    if (script.severity !== "sev3" && !script.drill) {
      const due = resolved + 7 * DAY;
      const meeting = due - r.between(1, 3) * DAY;
      const late = r.chance(0.2);
      const held = late ? due + r.between(1, 4) * DAY : meeting;
      const isHeld = held < now;
      rows.reviews.push({
        id: newId(resolved),
        incident_id: id,
        status: isHeld ? "held" : "scheduled",
        required: true,
        due_at: iso(due),
        meeting_at: iso(meeting),
        meeting_minutes: 60,
        meeting_url: "https://meet.example.com/incident-review",
        attendees: "[]",
        checklist: "[]",
        notes: null,
        sequence: 0,
        held_at: isHeld ? iso(held) : null,
        public_postmortem: isHeld ? script.severity === "sev1" : null,
        decision_reason: null,
        decided_by: isHeld ? responderId : null,
        decided_at: isHeld ? iso(held) : null,
        created_at: iso(resolved),
        updated_at: iso(isHeld ? held : resolved),
        version: 1,
      });
      const published = held + r.between(1, 4) * DAY;
      rows.postmortems.push({
        id: newId(resolved),
        incident_id: id,
        status: published < now ? "published" : "draft",
        body: `# ${script.title}\n`,
        published_at: published < now ? iso(published) : null,
        public_status: "none",
        public_title: null,
        public_body: null,
        public_published_at: null,
        created_at: iso(resolved + HOUR),
        updated_at: iso(Math.min(published, now)),
        updated_by: responderId,
        version: 1,
      });

      // Action items from the review: most closed by their due date, some late, a few still open.
      for (let k = 0; k < r.between(1, 3); k++) {
        const created = meeting + HOUR;
        const dueAt = created + r.between(2, 4) * 7 * DAY;
        const fate = r.chance(0.65) ? "on-time" : r.chance(0.6) ? "late" : "open";
        const closed =
          fate === "on-time"
            ? created + Math.round((dueAt - created) * (0.3 + (0.6 * r.between(0, 10)) / 10))
            : fate === "late"
              ? dueAt + r.between(1, 9) * DAY
              : null;
        const done = closed !== null && closed < now;
        rows.action_items.push({
          id: newId(created),
          incident_id: id,
          title: ACTIONS[(n + k) % ACTIONS.length]!,
          owner_id: people[(n + k) % people.length]!,
          team: TEAMS[(n + k) % TEAMS.length]!,
          priority: k === 0 ? "priority" : "improvement",
          due_at: iso(dueAt),
          status: done ? "done" : "open",
          url: null,
          created_at: iso(created),
          created_by: responderId,
          updated_at: iso(done ? closed : created),
          closed_at: done ? iso(closed) : null,
          version: 1,
        });
        summary.actionItems++;
      }
    }
  });

  await store.transaction(async (tx) => {
    for (const incident of rows.incidents) {
      incident.number = await nextCounter(tx, "incident");
      incident.reference = `INC-${incident.number}`;
    }
    for (const table of Object.keys(rows) as Array<keyof Rows>) {
      const list = rows[table] as unknown[];
      for (let i = 0; i < list.length; i += 100) {
        await tx
          .insertInto(table)
          .values(list.slice(i, i + 100) as never)
          .execute();
      }
    }
  });
  return summary;
}
