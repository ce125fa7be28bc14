import { api, call } from "../../api/client";
import { useSession } from "../../app/session";
import { CalendarFeed } from "../../components/calendar-feed";
import { useTitle } from "../../lib/use-title";
import { ContactMethods } from "./contact-methods";
import { NotificationRules } from "./notification-rules";
import { OpenPages } from "./open-pages";
import "./me.css";

/** My paging: pages waiting for me, how I am reached, and my shifts as a calendar. */
export default function MeScreen() {
  useTitle("My paging");
  const user = useSession();
  return (
    <>
      <div className="page-header">
        <h1>My paging</h1>
        <span className="muted">
          {user.name} · {user.email}
        </span>
      </div>
      <OpenPages />
      <ContactMethods />
      <NotificationRules />
      <CalendarFeed
        title="My calendar feed"
        create={() =>
          call("Could not make your calendar feed URL", api.POST("/api/v1/users/me/calendar-feed"))
        }
      >
        <p>Your shifts in every schedule, a week back and 90 days ahead, in any calendar app.</p>
      </CalendarFeed>
    </>
  );
}
