import { describe, expect, it } from "vitest";

import { formatTime, parseTime } from "./time";

const ms = (text: string, duration?: number | null) => {
  const r = parseTime(text, duration);
  return r.ok ? r.ms : r.message;
};

describe("parseTime", () => {
  it("reads m:ss, plain seconds and h:mm:ss", () => {
    expect(ms("1:42")).toBe(102_000);
    expect(ms("102"), "a bare number is seconds").toBe(102_000);
    expect(ms("1:02:03")).toBe(3_723_000);
    expect(ms(" 0:05 ")).toBe(5_000);
    expect(ms("75:00"), "minutes may pass 60 without hours").toBe(4_500_000);
  });

  it("keeps a fraction of a second on the last part", () => {
    expect(ms("1:42.5")).toBe(102_500);
    expect(ms("12,25")).toBe(12_250);
  });

  it("rejects what is not a time, with a message", () => {
    for (const bad of ["", "abc", "1:", ":30", "1:2:3:4", "-5", "1.5:30", "1:42s", "1 42"]) {
      const r = parseTime(bad);
      expect(r.ok, `"${bad}" is not a time`).toBe(false);
      if (!r.ok) expect(r.message.length, "it says why").toBeGreaterThan(0);
    }
    expect(ms("")).toBe("Enter a time, like 1:42.");
    expect(ms("1:75")).toBe("Seconds must be below 60 in “1:75”.");
    expect(ms("1:60:00")).toBe("Minutes must be below 60 in “1:60:00”.");
  });

  it("refuses a time past the end of the track", () => {
    expect(ms("3:00", 180_000)).toBe(180_000);
    expect(ms("3:01", 180_000)).toBe("3:01 is past the end of the track (3:00).");
    expect(ms("9:00", null), "an unknown length takes any time").toBe(540_000);
  });
});

describe("formatTime", () => {
  it("shows m:ss, and h:mm:ss past an hour", () => {
    expect(formatTime(0)).toBe("0:00");
    expect(formatTime(102_000)).toBe("1:42");
    expect(formatTime(3_723_000)).toBe("1:02:03");
  });

  it("rounds down so the shown time is never after the moment", () => {
    expect(formatTime(102_999)).toBe("1:42");
    expect(formatTime(-5)).toBe("0:00");
  });

  it("reads back what it writes", () => {
    for (const t of [0, 5_000, 102_000, 3_723_000]) expect(ms(formatTime(t))).toBe(t);
  });
});
