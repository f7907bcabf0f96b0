import { describe, expect, it } from "vitest";

import { draftFrom, effectiveFrom, fieldsFrom, splitNames, type FieldDraft } from "./fields";

const empty: FieldDraft = draftFrom({});

describe("fields", () => {
  it("splits names on semicolons, tidying spaces", () => {
    expect(splitNames(" John Williams ;;  Alexander   Courage; ")).toEqual(["John Williams", "Alexander Courage"]);
    expect(splitNames("")).toEqual([]);
  });

  it("keeps only filled fields, numbers as numbers and lists as lists", () => {
    const r = fieldsFrom({
      ...empty,
      work_title: " Star Wars ",
      work_year: "1977",
      work_kind: "Film",
      composers: "John Williams",
      catalog_numbers: "SK 68772; 0946 3 76052 2 4",
      limited_to: "3,000",
      edition: "   ",
    });
    expect(r).toEqual({
      ok: true,
      fields: {
        work_title: "Star Wars",
        work_year: 1977,
        work_kind: "film",
        composers: ["John Williams"],
        catalog_numbers: ["SK 68772", "0946 3 76052 2 4"],
        limited_to: 3000,
      },
    });
  });

  it("stores nothing for an empty form", () => {
    expect(fieldsFrom(empty)).toEqual({ ok: true, fields: {} });
  });

  it("refuses a bad year, copy count or kind, field by field", () => {
    const r = fieldsFrom({ ...empty, work_year: "77", limited_to: "-5", work_kind: "anime", label: "Varèse" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      work_year: "“77” is not a year; write it like 1977.",
      limited_to: "“-5” is not a number of copies; write it like 3000.",
      work_kind: "The work kind is film, game or tv, not “anime”.",
    });
    expect(fieldsFrom({ ...empty, limited_to: "0" }).ok, "zero copies is not an edition").toBe(false);
    expect(fieldsFrom({ ...empty, limited_to: "3.5" }).ok, "a fraction is not read as 35").toBe(false);
    expect(fieldsFrom({ ...empty, limited_to: "1 500" })).toEqual({ ok: true, fields: { limited_to: 1500 } });
  });

  it("reads back what it stores", () => {
    const fields = { work_year: 2001, composers: ["Joe Hisaishi", "Youmi Kimura"], limited_to: 500, work_kind: "game" as const };
    expect(draftFrom(fields).composers).toBe("Joe Hisaishi; Youmi Kimura");
    expect(fieldsFrom(draftFrom(fields))).toEqual({ ok: true, fields });
  });

  it("shows what the album says now as placeholders", () => {
    const e = effectiveFrom({
      work: "Spirited Away",
      work_year: 2001,
      work_kind: "film",
      composers: [],
      composer: "Joe Hisaishi",
      orchestrators: [],
      conductors: ["Joe Hisaishi", "Someone"],
      label: null,
      catalog_numbers: ["TKCA-72189"],
      edition: null,
    });
    expect(e).toEqual({
      work_title: "Spirited Away",
      work_year: "2001",
      work_kind: "film",
      composers: "Joe Hisaishi",
      orchestrators: "",
      conductors: "Joe Hisaishi; Someone",
      label: "",
      catalog_numbers: "TKCA-72189",
      edition: "",
      limited_to: "",
    });
  });
});
