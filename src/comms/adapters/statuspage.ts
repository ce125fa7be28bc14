import { z } from "zod";
import type { ChannelAdapter } from "./types.ts";

/**
 * Runsheet's own public status page. Publishing here marks the update public;
 * the status page renders public updates itself, so delivery sends nothing.
 */
const MAX = 20_000;

export const statuspageAdapter: ChannelAdapter<Record<string, unknown>> = {
  type: "statuspage",
  settings: z.record(z.string(), z.unknown()),
  render(facts) {
    const length = [...facts.body].length;
    return {
      text: facts.body,
      subject: facts.subject,
      payload: { phase: facts.phase, body: facts.body },
      length,
      fullLength: length,
      limit: { max: MAX, unit: "characters" },
      shortened: false,
    };
  },
  async deliver() {
    return {};
  },
};
