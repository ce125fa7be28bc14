import type { AdapterContext, DeliveryAttempt, MessageFacts, Rendering } from "./types.ts";

/** Factories for the chat and webhook adapter tests. */

export function buildFacts(
  overrides: Partial<Omit<MessageFacts, "incident">> & { incident?: Partial<MessageFacts["incident"]> } = {},
): MessageFacts {
  const { incident, ...rest } = overrides;
  return {
    phase: "investigating",
    subject: "Investigating: Checkout errors",
    body: "Some customers see errors when paying by card. We are investigating.",
    organizationName: "Quillmark",
    // A UUIDv7 made at 2025-01-02T03:54:06.286Z.
    updateId: "01942526-2c4e-7000-8000-000000000001",
    ...rest,
    incident: {
      id: "0194251f-0000-7000-8000-00000000002a",
      reference: "INC-42",
      title: "Checkout errors",
      url: "https://status.example.com/incidents/INC-42",
      status: "investigating",
      severityName: "SEV1 – Critical",
      components: [
        { name: "Payments API", impact: "major_outage" },
        { name: "Web app", impact: "degraded_performance" },
      ],
      drill: false,
      ...incident,
    },
  };
}

export function buildAttempt(
  rendering: Rendering,
  overrides: Partial<DeliveryAttempt> = {},
): DeliveryAttempt {
  return {
    deliveryId: "0194252a-0000-7000-8000-0000000000d1",
    attempt: 1,
    rendering,
    target: { key: "channel" },
    ...overrides,
  };
}

/** Plain fetch: the request-forgery guard is tested on its own, and the fakes listen on loopback. */
export function testContext(now: () => Date = () => new Date()): AdapterContext {
  return { fetch: (url, init) => fetch(url, init), now };
}
