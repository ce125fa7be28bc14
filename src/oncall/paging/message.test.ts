import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codePointCount } from "../../comms/measure.ts";
import { composePage, type PageFacts, pageTwiml } from "./message.ts";

const facts = (overrides: Partial<PageFacts> = {}): PageFacts => ({
  organizationName: "Quillmark",
  reference: "INC-12",
  title: "Card payments failing",
  severityName: "Critical",
  roleName: "Incident manager",
  stageLabel: "primary contact",
  drill: false,
  incidentUrl: "https://runsheet.example/app/incidents/INC-12",
  ackUrl: "https://runsheet.example/ack/0190f000-0000-7000-8000-000000000001?exp=1800000000&sig=abc_DEF-123",
  ackExpiresAt: "2027-01-15T08:00:00.000Z",
  pageId: "0190f000-0000-7000-8000-000000000001",
  ...overrides,
});

describe("page messages", () => {
  it("carry the acknowledgement link, the incident and the role everywhere it is read", () => {
    const m = composePage(facts());
    for (const text of [m.text, m.html, m.sms]) {
      expect(text).toContain(facts().ackUrl.replaceAll("&", text === m.html ? "&amp;" : "&"));
      expect(text).toContain("INC-12");
      expect(text).toContain("Incident manager");
      expect(text).toContain("Card payments failing");
    }
    expect(m.subject).toContain("INC-12");
    expect(m.speech).toContain("Card payments failing");
  });

  it("keep a private incident's title out of every message", () => {
    const m = composePage(facts({ title: "Leaked credentials of ACME" }));
    expect(m.sms).toContain("Leaked credentials");
    const hidden = composePage(facts({ title: null }));
    for (const text of [hidden.subject, hidden.text, hidden.html, hidden.sms, hidden.speech]) {
      expect(text).not.toContain("Leaked");
      expect(text).toMatch(/private incident/);
    }
  });

  it("mark drills", () => {
    const m = composePage(facts({ drill: true }));
    expect(m.subject.startsWith("[DRILL]")).toBe(true);
    expect(m.sms.startsWith("[DRILL]")).toBe(true);
    expect(m.speech.startsWith("This is a drill.")).toBe(true);
  });

  it("fit an SMS in three segments with the link whole, whatever the title", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 2_000 }),
        fc.string({ minLength: 1, maxLength: 300 }),
        (title, role) => {
          const m = composePage(facts({ title, roleName: role }));
          expect(codePointCount(m.sms)).toBeLessThanOrEqual(480);
          expect(m.sms.endsWith(` Ack: ${facts().ackUrl}`)).toBe(true);
        },
      ),
    );
  });

  it("escape what a call says in TwiML", () => {
    const twiml = pageTwiml(composePage(facts({ title: `Errors <b>& "quotes"</b>` })).speech);
    expect(twiml).toMatch(/^<Response><Say>.*<\/Say><Pause length="2"\/><Say>.*<\/Say><\/Response>$/);
    expect(twiml).toContain("Errors &lt;b&gt;&amp; &quot;quotes&quot;&lt;/b&gt;");
    expect(twiml).not.toContain("<b>");
  });
});
