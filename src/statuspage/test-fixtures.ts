import type { ComponentStatus, PageComponent, PageIncident, PageSnapshot, UptimeDay } from "./model.ts";

/**
 * A small, realistic snapshot for renderer tests: two groups, a component
 * outside any group, one open incident with two public updates, one resolved
 * incident, one scheduled and one completed maintenance. Tests change what
 * they need with `overrides`.
 */
const NOW = "2026-11-27T12:00:00.000Z";

function zeroSeconds(): Record<ComponentStatus, number> {
  return {
    operational: 0,
    degraded_performance: 0,
    partial_outage: 0,
    major_outage: 0,
    under_maintenance: 0,
  };
}

export function uptimeDays(
  lastDate: string,
  count = 90,
  special: Record<string, Partial<UptimeDay>> = {},
): UptimeDay[] {
  const end = new Date(`${lastDate}T00:00:00Z`).getTime();
  const days: UptimeDay[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const date = new Date(end - i * 86_400_000).toISOString().slice(0, 10);
    days.push({
      date,
      seconds: { ...zeroSeconds(), operational: 86_400 },
      worst: "operational",
      incidents: [],
      ...special[date],
    });
  }
  return days;
}

function component(
  id: string,
  name: string,
  groupId: string | null,
  position: number,
  status: ComponentStatus = "operational",
): PageComponent {
  return {
    id,
    name,
    description: `${name} for customers`,
    groupId,
    status,
    position,
    showcase: true,
    onlyShowIfDegraded: false,
    startDate: "2026-01-01",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: NOW,
    uptime: uptimeDays("2026-11-27"),
    uptimePercent: 100,
  };
}

const openIncident: PageIncident = {
  id: "0194f000-0000-7000-8000-000000000001",
  reference: "INC-42",
  name: "Card payments failing for some customers",
  status: "identified",
  impact: "major",
  createdAt: "2026-11-27T11:00:00.000Z",
  updatedAt: "2026-11-27T11:30:00.000Z",
  startedAt: "2026-11-27T10:55:00.000Z",
  monitoringAt: null,
  resolvedAt: null,
  shortlink: "https://status.example.com/incidents/0194f000-0000-7000-8000-000000000001",
  components: [{ id: "card-payments", name: "Card payments", impact: "partial_outage" }],
  updates: [
    {
      id: "0194f000-0000-7000-8000-0000000000u2",
      status: "identified",
      body: "We found the cause: a <certificate> expired at our card processor. A fix is being rolled out.",
      createdAt: "2026-11-27T11:30:00.000Z",
      affectedComponents: null,
    },
    {
      id: "0194f000-0000-7000-8000-0000000000u1",
      status: "investigating",
      body: "Some card payments fail.\nWe are looking into it.",
      createdAt: "2026-11-27T11:00:00.000Z",
      affectedComponents: [
        {
          code: "card-payments",
          name: "Card payments",
          oldStatus: "operational",
          newStatus: "partial_outage",
        },
      ],
    },
  ],
  postmortem: null,
};

const resolvedIncident: PageIncident = {
  id: "0194e000-0000-7000-8000-000000000002",
  reference: "INC-41",
  name: "Login slow",
  status: "resolved",
  impact: "minor",
  createdAt: "2026-10-03T08:00:00.000Z",
  updatedAt: "2026-10-03T09:00:00.000Z",
  startedAt: "2026-10-03T07:50:00.000Z",
  monitoringAt: "2026-10-03T08:40:00.000Z",
  resolvedAt: "2026-10-03T09:00:00.000Z",
  shortlink: "https://status.example.com/incidents/0194e000-0000-7000-8000-000000000002",
  components: [{ id: "login", name: "Login and accounts", impact: "degraded_performance" }],
  updates: [
    {
      id: "0194e000-0000-7000-8000-0000000000r3",
      status: "resolved",
      body: "Sign-in is fast again.",
      createdAt: "2026-10-03T09:00:00.000Z",
      affectedComponents: [
        {
          code: "login",
          name: "Login and accounts",
          oldStatus: "degraded_performance",
          newStatus: "operational",
        },
      ],
    },
    {
      id: "0194e000-0000-7000-8000-0000000000r1",
      status: "investigating",
      body: "Signing in is slow.",
      createdAt: "2026-10-03T08:00:00.000Z",
      affectedComponents: [
        {
          code: "login",
          name: "Login and accounts",
          oldStatus: "operational",
          newStatus: "degraded_performance",
        },
      ],
    },
  ],
  postmortem: null,
};

export function sampleSnapshot(overrides: Partial<PageSnapshot> = {}): PageSnapshot {
  const components = [
    component("web-app", "Web app", "apps", 1),
    component("public-api", "Public API", "apps", 2),
    component("card-payments", "Card payments", "payments", 3, "partial_outage"),
    component("bank-payouts", "Bank payouts", "payments", 4),
    component("login", "Login and accounts", null, 5),
  ];
  return {
    page: {
      id: "quillmark",
      name: "Quillmark",
      url: "https://status.example.com",
      timeZone: "Europe/Lisbon",
      description: "Live status of Quillmark's apps and payments.",
      logoUrl: null,
      brandColor: "#1f5fbf",
      links: [{ label: "Quillmark", url: "https://www.example.com" }],
      subscribe: { email: true, webhook: true },
    },
    status: { indicator: "major", description: "Partial System Outage" },
    components,
    groups: [
      {
        id: "apps",
        name: "Apps",
        status: "operational",
        position: 1,
        componentIds: ["web-app", "public-api"],
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: NOW,
      },
      {
        id: "payments",
        name: "Payments",
        status: "partial_outage",
        position: 2,
        componentIds: ["card-payments", "bank-payouts"],
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: NOW,
      },
    ],
    incidents: [openIncident, resolvedIncident],
    maintenances: [
      {
        id: "0194f100-0000-7000-8000-000000000003",
        name: "Database upgrade",
        status: "scheduled",
        createdAt: "2026-11-20T10:00:00.000Z",
        updatedAt: "2026-11-20T10:00:00.000Z",
        scheduledFor: "2026-11-29T02:00:00.000Z",
        scheduledUntil: "2026-11-29T03:00:00.000Z",
        startedAt: null,
        completedAt: null,
        shortlink: "https://status.example.com/incidents/0194f100-0000-7000-8000-000000000003",
        components: [{ id: "public-api", name: "Public API" }],
        updates: [
          {
            id: "0194f100-0000-7000-8000-0000000000m1",
            status: "scheduled",
            body: "The API may answer slowly for a few minutes during the upgrade.",
            createdAt: "2026-11-20T10:00:00.000Z",
          },
        ],
      },
    ],
    generatedAt: NOW,
    updatedAt: "2026-11-27T11:30:00.000Z",
    stale: null,
    ...overrides,
  };
}
