import { describe, expect, it } from "vitest";
import type { ChannelPreview } from "../../api/types";
import { chosenChannels, confirmedShortened } from "./channel-choice";

function channel(id: string, overrides: Partial<ChannelPreview> = {}): ChannelPreview {
  return {
    channelId: id,
    name: id,
    type: "slack",
    audience: "external",
    applies: true,
    mayPublish: true,
    problems: [],
    reasons: [],
    who: "comms-manager",
    how: null,
    more: null,
    rendering: {
      text: "t",
      length: 1,
      fullLength: 1,
      limit: { max: 280, unit: "characters" },
      shortened: false,
    },
    ...overrides,
  };
}

describe("channel choice", () => {
  const channels = [
    channel("status-page"),
    channel("x", { applies: false }),
    channel("slack", { mayPublish: false }),
    channel("email", { problems: ["set the SMTP_PASSWORD environment variable"] }),
    channel("mastodon", {
      rendering: {
        text: "t…",
        length: 500,
        fullLength: 900,
        limit: { max: 500, unit: "characters" },
        shortened: true,
      },
    }),
  ];

  it("starts from the channels that apply and can be used", () => {
    expect(chosenChannels(channels, {})).toEqual(["status-page", "mastodon"]);
  });

  it("follows the user's picks, never a channel they may not use", () => {
    expect(chosenChannels(channels, { "status-page": false, x: true, slack: true, email: true })).toEqual([
      "x",
      "mastodon",
    ]);
  });

  it("confirms a shortened text only when chosen and accepted", () => {
    expect(confirmedShortened(channels, ["mastodon"], { mastodon: true })).toEqual(["mastodon"]);
    expect(confirmedShortened(channels, [], { mastodon: true })).toEqual([]);
    expect(confirmedShortened(channels, ["mastodon"], {})).toEqual([]);
  });
});
