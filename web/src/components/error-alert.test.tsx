// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, toProblem } from "../api/problem";
import { ErrorAlert } from "./error-alert";
import { Field } from "./field";

afterEach(cleanup);

const error = new ApiError(
  "Could not declare the incident",
  422,
  toProblem(422, {
    title: "Not valid",
    detail: "The incident cannot be declared as given.",
    errors: [
      { path: "title", message: "give the incident a title" },
      { path: "severity", message: '"sev9" is not a severity of the plan', hint: "use one of: sev1, sev2" },
    ],
  }),
);

describe("ErrorAlert", () => {
  it("says what failed and why, and lists only the issues no field shows", () => {
    render(<ErrorAlert error={error} fields={["title"]} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Could not declare the incident");
    expect(alert.textContent).toContain("The incident cannot be declared as given.");
    expect(alert.textContent).toContain('"sev9" is not a severity of the plan: use one of: sev1, sev2');
    expect(alert.textContent).not.toContain("give the incident a title");
    expect(alert.textContent).toContain("The fields to fix are marked below.");
  });

  it("shows nothing without an error", () => {
    const { container } = render(<ErrorAlert error={null} />);
    expect(container.innerHTML).toBe("");
  });
});

describe("Field", () => {
  it("ties the control to its label, hint and errors", () => {
    render(
      <Field label="Title" hint="A short title" errors={["give the incident a title"]}>
        {(control) => <input {...control} defaultValue="kept" />}
      </Field>,
    );
    const input = screen.getByLabelText("Title") as HTMLInputElement;
    expect(input.value).toBe("kept");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    const described = (input.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(["give the incident a title", "A short title"]);
  });
});
