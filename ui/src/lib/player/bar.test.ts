import { expect, test } from "vitest";

import { describeOutputProblem, fileName, nowPlaying, skimLabel } from "./bar";
import { trackRow } from "./testing";

test("the no-output notice does not say 'no audio output' twice", () => {
  expect(describeOutputProblem("no audio output: the default sound device could not be opened (No such device)")).toBe(
    "No audio output — the default sound device could not be opened (No such device). Everything else works; playing will try again.",
  );
  expect(describeOutputProblem(null)).toBe(
    "No audio output — no sound device could be opened. Everything else works; playing will try again.",
  );
  expect(describeOutputProblem("the player has stopped.")).toContain("the player has stopped. Everything");
});

test("file names come from either kind of separator", () => {
  expect(fileName("/music/Amélie/01 J'y suis jamais allé.flac")).toBe("01 J'y suis jamais allé.flac");
  expect(fileName("C:\\Music\\Ghibli\\03.mp3")).toBe("03.mp3");
});

test("now playing shows the title, then album and composers; untitled tracks show their file", () => {
  expect(nowPlaying(trackRow(1, { title: "La Valse d'Amélie", composers: ["Yann Tiersen"] }), 1)).toEqual({
    title: "La Valse d'Amélie",
    detail: "Le Fabuleux Destin d'Amélie Poulain · Yann Tiersen",
  });
  expect(nowPlaying(trackRow(2, { title: null, album: null, composers: [], path: "/m/x/track02.ogg" }), 2)).toEqual({
    title: "track02.ogg",
    detail: "",
  });
  expect(nowPlaying(null, 9).title).toBe("Loading…");
  expect(nowPlaying(null, null).title).toBe("Nothing playing");
});

test("the skim label counts from one", () => {
  expect(skimLabel([4, 5, 6], 5)).toBe("Skimming 2 of 3");
  expect(skimLabel([4, 5, 6], null)).toBe("Skimming 3 tracks");
  expect(skimLabel([], 5)).toBeNull();
});
