/**
 * A small valid plan for tests: short enough that a test can name the exact
 * line and column of each field. Line numbers are noted where tests rely on them.
 */
export const MINIMAL_PLAN = `organization:
  name: Tiny Co
definition:
  criteria:
    - id: down
      text: The site is down.
      match:
        severity: [critical]
      action: declare
      severity: sev1
severities:
  - id: sev1
    name: Critical
    description: Down for everyone.
    update_every: 20m
roles:
  - id: lead
    name: Incident Manager
    lead: true
  - id: comms
    name: Comms
channels:
  - id: slack
    type: slack
    name: Slack
    when:
      audience: internal
    who:
      roles: [lead, comms]
    settings:
      webhook_url: { env: SLACK_WEBHOOK_URL }
templates:
  investigating: "Investigating: {{ incident.title }}"
  identified: Identified.
  monitoring: Monitoring.
  resolved: Resolved.
`;

/** Replaces exactly one occurrence, so a fixture edit that no longer applies fails loudly. */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`fixture edit: "${from}" must occur exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
