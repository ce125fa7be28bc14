import { describe, expect, it } from "vitest";
import { parseIncidentEvent, retryDelay } from "./live";

describe("live events", () => {
  it("reads an incident event", () => {
    expect(parseIncidentEvent('{"incidentId":"abc","reference":"INC-4","kind":"note","version":7}')).toEqual({
      incidentId: "abc",
      reference: "INC-4",
      kind: "note",
      version: 7,
    });
  });

  it("ignores what is not one", () => {
    expect(parseIncidentEvent("not json")).toBeNull();
    expect(parseIncidentEvent('{"reference":"INC-4"}')).toBeNull();
    expect(parseIncidentEvent("null")).toBeNull();
  });

  it("fills what an older server leaves out", () => {
    expect(parseIncidentEvent('{"incidentId":"a","reference":"INC-1"}')).toEqual({
      incidentId: "a",
      reference: "INC-1",
      kind: "changed",
      version: 0,
    });
  });

  it("waits longer after each failure, up to 30 s", () => {
    expect([1, 2, 3, 4, 10].map(retryDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 30_000]);
  });
});
