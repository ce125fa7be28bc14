import type { Migration } from "kysely/migration";
import type { DialectName } from "../column-types.ts";
import { createCore } from "./202611271700-create-core.ts";
import { createJobs } from "./202611271900-create-jobs.ts";
import { createComms } from "./202611272000-create-comms.ts";
import { createEventLog } from "./202611272100-create-event-log.ts";
import { createStatuspage } from "./202611281000-create-statuspage.ts";
import { createOncall } from "./202611281200-create-oncall.ts";
import { alterAlerts } from "./202611281300-alter-alerts.ts";
import { alterPaging } from "./202611281310-alter-paging.ts";
import { createReview } from "./202611290900-create-review.ts";
import { indexImprove } from "./202611291100-index-improve.ts";

/** Every migration, by name; names sort in the order they run. Never edit one that has landed. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    "202611271700-create-core": createCore(dialect),
    "202611271900-create-jobs": createJobs(dialect),
    "202611272000-create-comms": createComms(dialect),
    "202611272100-create-event-log": createEventLog(dialect),
    "202611281000-create-statuspage": createStatuspage(dialect),
    "202611281200-create-oncall": createOncall(dialect),
    "202611281300-alter-alerts": alterAlerts(dialect),
    "202611281310-alter-paging": alterPaging(dialect),
    "202611290900-create-review": createReview(dialect),
    "202611291100-index-improve": indexImprove(),
  };
}
