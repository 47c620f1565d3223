import { describe, expect, it } from "vitest";
import { historyHref, historyQuery } from "./historyQuery";

describe("the history's address", () => {
  it("reads the page, the status and the page size", () => {
    expect(historyQuery("?page=3&status=failed&per_page=25")).toEqual({ page: 3, status: "failed", perPage: 25 });
    expect(historyQuery("")).toEqual({ page: 1, status: "", perPage: 10 });
  });

  it("replaces what is out of range or not a whole number by the default", () => {
    for (const bad of ["0", "-1", "2.5", "abc", "", "1e3", "99999", " 2"]) {
      expect(historyQuery(`?page=${encodeURIComponent(bad)}`).page, bad).toBe(1);
      expect(historyQuery(`?per_page=${encodeURIComponent(bad)}`).perPage, bad).toBe(10);
    }
    // The API takes at most 100 a page.
    expect(historyQuery("?per_page=100").perPage).toBe(100);
    expect(historyQuery("?per_page=101").perPage).toBe(10);
    expect(historyQuery("?status=deleted").status).toBe("");
    expect(historyQuery("?status=%00").status).toBe("");
  });

  it("writes only what differs from the defaults, and reads back what it wrote", () => {
    expect(historyHref({ page: 1, status: "", perPage: 10 })).toBe("/history");
    const q = { page: 2, status: "completed", perPage: 4 };
    const href = historyHref(q);
    expect(href).toBe("/history?page=2&status=completed&per_page=4");
    expect(historyQuery(href.slice("/history".length))).toEqual(q);
  });
});
