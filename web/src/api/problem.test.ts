import { describe, expect, it } from "vitest";
import { ApiError, errorsFor, fieldPath, toProblem, unclaimedIssues } from "./problem";

const problem = toProblem(422, {
  type: "https://runsheet.dev/problems/invalid",
  title: "Not valid",
  status: 422,
  code: "invalid",
  detail: "The incident cannot be declared as given.",
  errors: [
    { path: "criteria", message: "at least one must hold", hint: "tick one" },
    { path: "components.0.id", message: '"x" is not a component of the plan' },
    { path: "body.title", message: "give the incident a title" },
    { path: "headers.if-match", message: "not a version" },
  ],
});

describe("problem documents", () => {
  it("keeps the server's problem", () => {
    expect(problem.detail).toBe("The incident cannot be declared as given.");
    expect(problem.errors).toHaveLength(4);
  });

  it("makes one up for a network failure or a body that is not a problem", () => {
    expect(toProblem(0, null).detail).toMatch(/could not be reached.*kept/);
    expect(toProblem(502, "<html>Bad gateway</html>").detail).toBe(
      "The server answered 502: <html>Bad gateway</html>",
    );
    expect(toProblem(500, { whatever: true }).title).toBe("Server error");
  });

  it("finds each field's messages, children included, with the hint", () => {
    expect(fieldPath("body.title")).toBe("title");
    expect(fieldPath("bodyguard")).toBe("bodyguard");
    expect(errorsFor(problem, "criteria")).toEqual(["at least one must hold: tick one"]);
    expect(errorsFor(problem, "components")).toEqual(['"x" is not a component of the plan']);
    expect(errorsFor(problem, "title")).toEqual(["give the incident a title"]);
    expect(errorsFor(undefined, "title")).toEqual([]);
  });

  it("leaves the issues no field shows for the form's alert", () => {
    expect(unclaimedIssues(problem, ["criteria", "components", "title"]).map((i) => i.path)).toEqual([
      "headers.if-match",
    ]);
  });

  it("says what the user was doing", () => {
    const error = new ApiError("Could not declare the incident", 422, problem);
    expect(error.message).toBe("Could not declare the incident: The incident cannot be declared as given.");
  });
});
