import { expect, test } from "vitest";

import { tildePath } from "./paths";

test("the home folder is written as a tilde on Linux, macOS and Windows", () => {
  expect(tildePath("/home/anaïs/Music")).toBe("~/Music");
  expect(tildePath("/Users/ken/Music")).toBe("~/Music");
  expect(tildePath("C:\\Users\\Kenji\\Music")).toBe("~\\Music");
  expect(tildePath("/home/anaïs")).toBe("~");
});

test("other paths are left as they are", () => {
  expect(tildePath("/mnt/nas/Music")).toBe("/mnt/nas/Music");
  expect(tildePath("/home")).toBe("/home");
  expect(tildePath("D:\\Soundtracks")).toBe("D:\\Soundtracks");
});
