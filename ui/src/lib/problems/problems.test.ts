import { expect, test } from "vitest";

import type { Problem } from "../api/types";
import { copyText, fileOf, filterProblems, folderOf, formatSeen, groupProblems, reasonDetail, reasonKind } from "./problems";

const now = Date.UTC(2025, 2, 20, 12, 0, 0);
const at = (secondsAgo: number) => Math.floor(now / 1000) - secondsAgo;

const problems: Problem[] = [
  { path: "/music/Amélie/02 broken.flac", reason: "broken FLAC file: lost sync", seen_at: at(100) },
  { path: "/music/Amélie/01 empty.mp3", reason: "empty file", seen_at: at(10) },
  { path: "/music/Ghibli/track10.flac", reason: "broken FLAC file: bad header", seen_at: at(5000) },
  { path: "/music/Ghibli/track9.flac", reason: "broken FLAC file: bad header", seen_at: at(3) },
  { path: "C:\\Music\\x.wma", reason: "unsupported format: WMA", seen_at: at(200_000) },
];

test("folders and file names come from either separator", () => {
  expect(folderOf("/music/Amélie/01.flac")).toBe("/music/Amélie");
  expect(folderOf("C:\\Music\\x.wma")).toBe("C:\\Music");
  expect(folderOf("/x.flac")).toBe("/");
  expect(folderOf("x.flac")).toBe("");
  expect(fileOf("C:\\Music\\x.wma")).toBe("x.wma");
});

test("the kind of a reason leaves out its details", () => {
  expect(reasonKind("broken FLAC file: lost sync")).toBe("Broken FLAC file");
  expect(reasonKind("empty file")).toBe("Empty file");
  expect(reasonKind("")).toBe("Unknown reason");
  expect(reasonDetail("broken FLAC file: lost sync")).toBe("lost sync");
  expect(reasonDetail("cannot read file: a: b")).toBe("a: b");
  expect(reasonDetail("empty file")).toBe("");
});

test("the filter matches every word in path or reason, without regard to case or accents", () => {
  expect(filterProblems(problems, "amelie").map((p) => p.path)).toEqual([problems[0].path, problems[1].path]);
  expect(filterProblems(problems, "FLAC header").length).toBe(2);
  expect(filterProblems(problems, "  ").length).toBe(5);
  expect(filterProblems(problems, "wagner")).toEqual([]);
});

test("grouping by reason puts the largest group first, in natural path order within", () => {
  const groups = groupProblems(problems, "reason");
  expect(groups.map((g) => [g.label, g.problems.length])).toEqual([
    ["Broken FLAC file", 3],
    ["Empty file", 1],
    ["Unsupported format", 1],
  ]);
  expect(groups[0].problems.map((p) => fileOf(p.path))).toEqual(["02 broken.flac", "track9.flac", "track10.flac"]);
});

test("grouping by folder follows the folders' order; no grouping is newest first", () => {
  expect(groupProblems(problems, "folder").map((g) => g.label)).toEqual(["/music/Amélie", "/music/Ghibli", "C:\\Music"]);
  const flat = groupProblems(problems, "none");
  expect(flat.length).toBe(1);
  expect(flat[0].problems.map((p) => fileOf(p.path))).toEqual(["track9.flac", "01 empty.mp3", "02 broken.flac", "track10.flac", "x.wma"]);
  expect(groupProblems([], "none")).toEqual([]);
});

test("when a problem was seen reads like speech, then as a date", () => {
  expect(formatSeen(at(10), now)).toBe("just now");
  expect(formatSeen(at(600), now)).toBe("10 min ago");
  expect(formatSeen(at(7200), now)).toBe("2 h ago");
  expect(formatSeen(at(90_000), now)).toBe("yesterday");
  expect(formatSeen(at(3 * 86_400), now)).toBe("3 days ago");
  expect(formatSeen(at(40 * 86_400), now)).toBe("8 Feb 2025");
});

test("copying says whether it worked when there is no clipboard or it refuses", async () => {
  expect(await copyText("/x", undefined)).toBe(false);
  expect(await copyText("/x", { writeText: () => Promise.reject(new Error("denied")) })).toBe(false);
  let copied = "";
  expect(await copyText("/x", { writeText: async (t) => void (copied = t) })).toBe(true);
  expect(copied).toBe("/x");
});
