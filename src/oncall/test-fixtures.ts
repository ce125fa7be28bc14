import type { Layer, Override, Schedule } from "./schedule.ts";
import { parseSchedule } from "./schedule.ts";

/** Factories for tests: each builds a valid, parsed schedule from the parts a test cares about. */

let sequence = 0;

export function buildLayer(overrides: Partial<Layer> = {}): Layer {
  sequence += 1;
  return {
    id: `layer-${sequence}`,
    name: `Layer ${sequence}`,
    members: ["ana"],
    rotation: { type: "daily" },
    handoff: { startDate: "2026-01-05", time: "09:00" },
    ...overrides,
  };
}

export function buildOverride(userId: string, start: string, end: string, id?: string): Override {
  sequence += 1;
  return { id: id ?? `override-${sequence}`, userId, start, end };
}

export function buildSchedule(overrides: Partial<Schedule> = {}): Schedule {
  sequence += 1;
  return parseSchedule({
    id: `schedule-${sequence}`,
    name: "Payments primary",
    timeZone: "Europe/Berlin",
    layers: overrides.layers ?? [buildLayer()],
    overrides: [],
    ...overrides,
  });
}
