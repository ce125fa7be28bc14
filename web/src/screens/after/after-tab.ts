import type { ComponentType } from "react";
import type { Plan } from "../../api/plan";
import type { Incident } from "../../api/types";

/** What every tab of the after-the-incident screen is given. */
export interface AfterTabProps {
  incident: Incident;
  /** Undefined while the plan loads. */
  plan: Plan | undefined;
}

/** One tab: its path under /app/incidents/:ref/, its label, and what it shows. */
export interface AfterTab {
  path: string;
  label: string;
  Component: ComponentType<AfterTabProps>;
}
