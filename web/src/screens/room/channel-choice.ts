import type { ChannelPreview } from "../../api/types";

/** Which channels an update goes to: the ones the plan says apply and the user may publish to, unless changed. */
export function canSend(channel: ChannelPreview): boolean {
  return channel.mayPublish && channel.problems.length === 0;
}

export function chosenChannels(
  channels: readonly ChannelPreview[],
  picked: Readonly<Record<string, boolean>>,
): string[] {
  return channels.filter((c) => canSend(c) && (picked[c.channelId] ?? c.applies)).map((c) => c.channelId);
}

/** The chosen channels whose text had to be shortened and whose shortened text the user accepted. */
export function confirmedShortened(
  channels: readonly ChannelPreview[],
  chosen: readonly string[],
  confirmed: Readonly<Record<string, boolean>>,
): string[] {
  return channels
    .filter((c) => chosen.includes(c.channelId) && c.rendering.shortened && confirmed[c.channelId])
    .map((c) => c.channelId);
}
