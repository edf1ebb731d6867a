/** Settings read from the environment: defaults, bounds, and a start that names the variable it refuses. */
import { describe, expect, it } from "vitest";
import { loadConfig, SESSION_HOURS_DEFAULT, SESSION_HOURS_MAX } from "../src/config.ts";

describe("SESSION_HOURS", () => {
  it("defaults to 7 days and takes whole hours up to a year", () => {
    expect(loadConfig({}).sessionHours).toBe(SESSION_HOURS_DEFAULT);
    expect(SESSION_HOURS_DEFAULT).toBe(168);
    expect(loadConfig({ SESSION_HOURS: "1" }).sessionHours).toBe(1);
    expect(loadConfig({ SESSION_HOURS: String(SESSION_HOURS_MAX) }).sessionHours).toBe(8784);
  });

  it("refuses a value that is not a whole number of hours in range, naming the variable", () => {
    // 10^9 hours would put an expiry past year 9999, which PostgreSQL cannot store (a 500 at every login).
    for (const bad of ["0", "-1", "1.5", "ten", "8785", "1000000000", "Infinity"])
      expect(() => loadConfig({ SESSION_HOURS: bad }), bad).toThrow(/SESSION_HOURS must be a whole number of hours from 1 to 8784/);
  });
});
