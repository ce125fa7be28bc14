import type { User } from "../../api/types";
import { viewerTimeZone } from "../../lib/time";
import { isTimeZone } from "../../lib/zoned-time";

/** Times after the incident are shown in the signed-in person's own zone (their profile's), named. */
export function userZone(user: User): string {
  return isTimeZone(user.timezone) ? user.timezone : viewerTimeZone();
}
