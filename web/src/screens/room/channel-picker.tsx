import type { ChannelPreview } from "../../api/types";
import { canSend } from "./channel-choice";

interface Props {
  channels: readonly ChannelPreview[];
  chosen: readonly string[];
  confirmed: Readonly<Record<string, boolean>>;
  onPick: (channelId: string, send: boolean) => void;
  onConfirm: (channelId: string, ok: boolean) => void;
}

/** The plan's channels for this update: whether each applies and why, who may use it, how, and its text's fit. */
export function ChannelPicker({ channels, chosen, confirmed, onPick, onConfirm }: Props) {
  if (channels.length === 0) {
    return <p className="small muted">The plan has no channels: the update is recorded here only.</p>;
  }
  const row = (channel: ChannelPreview) => {
    const id = `channel-${channel.channelId}`;
    const checked = chosen.includes(channel.channelId);
    const why = !channel.mayPublish
      ? `Only ${channel.who} may publish here.`
      : channel.problems.length > 0
        ? `Cannot deliver: ${channel.problems.join("; ")}.`
        : `${channel.applies ? "Applies" : "Does not apply"}: ${channel.reasons.join("; ") || "per the plan"}.`;
    const { rendering } = channel;
    return (
      <div key={channel.channelId} className="choice">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={!canSend(channel)}
          onChange={(e) => onPick(channel.channelId, e.target.checked)}
          aria-describedby={`${id}-why`}
        />
        <div className="choice-text">
          <label htmlFor={id}>
            {channel.name} <span className="muted small">({channel.audience})</span>
          </label>
          <span id={`${id}-why`} className="small muted">
            {why}
            {channel.how ? ` ${channel.how}` : ""}
          </span>
          {checked && rendering.shortened ? (
            <label className="choice small">
              <input
                type="checkbox"
                checked={confirmed[channel.channelId] ?? false}
                onChange={(e) => onConfirm(channel.channelId, e.target.checked)}
              />
              <span>
                Send it shortened to {rendering.length} of {rendering.fullLength} {rendering.limit.unit}{" "}
                (limit {rendering.limit.max}): “{rendering.text}”
              </span>
            </label>
          ) : null}
        </div>
      </div>
    );
  };
  const usable = channels.filter(canSend);
  const unusable = channels.filter((c) => !canSend(c));
  return (
    <fieldset>
      <legend>Send to</legend>
      {usable.length === 0 ? (
        <p className="small muted">None of the plan's channels can be used by you now.</p>
      ) : null}
      {usable.map(row)}
      {unusable.length > 0 ? (
        <details>
          <summary className="small">
            {unusable.length} channel{unusable.length === 1 ? "" : "s"} you cannot use now, and why
          </summary>
          {unusable.map(row)}
        </details>
      ) : null}
    </fieldset>
  );
}
