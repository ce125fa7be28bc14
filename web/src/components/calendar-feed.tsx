import { useMutation } from "@tanstack/react-query";
import { type ReactNode, useId } from "react";
import { CopyField } from "./copy-field";
import { ErrorAlert } from "./error-alert";

/**
 * A secret iCalendar feed URL: made on request, shown once with a Copy
 * button. Making a new one revokes the previous, so the button says so.
 */
export function CalendarFeed({
  title,
  children,
  create,
}: {
  title: string;
  children: ReactNode;
  create: () => Promise<{ url: string }>;
}) {
  const id = useId();
  const feed = useMutation({ mutationFn: create });
  return (
    <section className="panel spaced" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <p className="small muted">
        The URL is secret: anyone who has it can read the shifts. A new URL stops the previous one working.
      </p>
      <ErrorAlert error={feed.error} />
      <button
        type="button"
        className="button"
        disabled={feed.isPending}
        onClick={() => {
          if (!feed.data || window.confirm("Make a new URL? The one you have now stops working."))
            feed.mutate();
        }}
      >
        {feed.data ? "Make a new feed URL" : "Get the feed URL"}
      </button>
      {feed.data ? (
        <div className="notice notice-ok spaced" role="status">
          <CopyField
            label="Calendar feed URL"
            value={feed.data.url}
            hint="Shown only now. Add it to your calendar app as a subscription (“from URL”)."
          />
        </div>
      ) : null}
    </section>
  );
}
