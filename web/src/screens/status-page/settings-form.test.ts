import { describe, expect, it } from "vitest";
import {
  checkSettings,
  formOf,
  isHttpUrl,
  type SettingsForm,
  settingsFieldOf,
  settingsPatch,
} from "./settings-form";

const initial = formOf({
  name: "Quillmark Status",
  description: "Live status of Quillmark's apps.",
  logoUrl: null,
  brandColor: "#1f5fbf",
  timezone: "Europe/Lisbon",
  links: [{ label: "Quillmark", url: "https://www.example.com" }],
});

describe("status page settings", () => {
  it("accepts the settings as the server gives them", () => {
    expect(checkSettings(initial)).toEqual({});
  });

  it("checks each field with the server's words, by the server's paths", () => {
    const form: SettingsForm = {
      name: " ",
      description: "d".repeat(501),
      logoUrl: "ftp://example.com/logo.png",
      brandColor: "blue",
      timezone: "Europe/Atlantis",
      links: [
        { key: "a", label: "", url: "https://ok.example.com" },
        { key: "b", label: "Help", url: "javascript:alert(1)" },
      ],
    };
    expect(checkSettings(form)).toEqual({
      name: "give the page a name",
      description: "at most 500 characters",
      logoUrl: "use an http(s) URL of an image",
      brandColor: "write a colour as #rrggbb, such as #1f5fbf",
      timezone: "use a time zone name such as Europe/Lisbon or America/New_York",
      "links.0.label": "give the link a label",
      "links.1.url": "use an http(s) URL",
    });
  });

  it("allows no more than eight links", () => {
    const links = Array.from({ length: 9 }, (_, i) => ({
      key: `${i}`,
      label: `L${i}`,
      url: "https://x.example",
    }));
    expect(checkSettings({ ...initial, links }).links).toBe("at most 8 links");
  });

  it("sends only what changed, emptied fields as null", () => {
    expect(settingsPatch(initial, initial)).toEqual({});
    expect(
      settingsPatch(initial, {
        ...initial,
        name: " Quillmark Service Status ",
        description: "",
        brandColor: "#0A7D38",
        timezone: "",
      }),
    ).toEqual({ name: "Quillmark Service Status", description: null, brandColor: "#0a7d38", timezone: null });
    expect(settingsPatch(initial, { ...initial, brandColor: "#1F5FBF" })).toEqual({});
    expect(
      settingsPatch(initial, {
        ...initial,
        links: [...initial.links, { key: "n", label: " Help ", url: "https://help.example.com " }],
      }),
    ).toEqual({
      links: [
        { label: "Quillmark", url: "https://www.example.com" },
        { label: "Help", url: "https://help.example.com" },
      ],
    });
    expect(settingsPatch(initial, { ...initial, links: [] })).toEqual({ links: [] });
  });

  it("knows http(s) URLs", () => {
    expect(isHttpUrl("https://example.com/logo.svg")).toBe(true);
    expect(isHttpUrl("http://127.0.0.1:3000")).toBe(true);
    expect(isHttpUrl("example.com")).toBe(false);
    expect(isHttpUrl("data:image/png;base64,AAAA")).toBe(false);
  });

  it("maps the server's and the plan's paths to the form's fields", () => {
    expect(settingsFieldOf("body.brandColor")).toBe("brandColor");
    expect(settingsFieldOf("status_page.brand_color")).toBe("brandColor");
    expect(settingsFieldOf("status_page.logo_url")).toBe("logoUrl");
    expect(settingsFieldOf("status_page.links.1.url")).toBe("links.1.url");
    expect(settingsFieldOf("body.links.0.label")).toBe("links.0.label");
  });
});
