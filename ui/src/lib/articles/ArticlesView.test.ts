// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { expect, test, vi } from "vitest";

import type { Backend } from "../api/backend";
import { fakeBackend } from "../api/fake";
import type { ArticleImported, ArticleLink, ArticleSummary, ArticleView } from "../api/types";
import ArticlesView from "./ArticlesView.svelte";
import MentionedIn from "./MentionedIn.svelte";
import PersonView from "./PersonView.svelte";

const bytes = (s: string) => new TextEncoder().encode(s).length;

const HOSTILE = '<img src=x onerror="alert(1)">';
const BODY = ["3. Amélie (2001)", "Yann Tiersen’s waltzes.", "2. Moon (2009)", `Clint Mansell. ${HOSTILE}`, "1. Jaws (1975)", "The shark."].join(
  "\n\n",
);

function range(word: string): [number, number] {
  const i = BODY.indexOf(word);
  return [bytes(BODY.slice(0, i)), bytes(BODY.slice(0, i)) + bytes(word)];
}

function link(id: number, label: string, status: ArticleLink["status"], confidence: number, albumId: number | null): ArticleLink {
  const [s, e] = range(label);
  return {
    id, kind: "album", label, status, confidence, reason: "a heading with its year", excerpt: BODY.slice(BODY.indexOf(label), BODY.indexOf(label) + 30),
    excerpt_start: 0, excerpt_end: e - s, found: true, album_id: albumId, track_id: null, track_album_id: null, name: null, mentions: 1,
  };
}

function article(links: ArticleLink[]): ArticleView {
  const starts: number[] = [];
  let at = 0;
  const blocks = BODY.split("\n\n").map((text, i) => {
    starts.push(at);
    const b = { kind: i % 2 === 0 ? ("heading" as const) : ("paragraph" as const), level: 2, ordinal: null, start: at, end: at + bytes(text), emphasis: [] };
    at += bytes(text) + 2;
    return b;
  });
  return {
    id: 7, title: "Three underrated scores", description: null, author: "Ann Writer", published: "2024-02-01", updated: null, keywords: ["scores"],
    locale: null, category: null, url: null, file_name: null, format: "text", imported_at: 0, body: BODY, blocks, links,
    mentions: links.map((l) => ({ link_id: l.id, start: range(l.label)[0], end: range(l.label)[1], status: l.status, kind: l.kind })),
    tags: [], rating: null, note: null, note_html: null,
    ranked: {
      order: "descending",
      entries: [
        { rank: 3, title: "Amélie", year: 2001, note: "Yann Tiersen’s waltzes.", album_id: 1, album_title: "Amélie" },
        { rank: 2, title: "Moon", year: 2009, note: "Clint Mansell.", album_id: 2, album_title: "Moon" },
        { rank: 1, title: "Jaws", year: 1975, note: "The shark.", album_id: null, album_title: null },
      ],
    },
  };
}

const summary: ArticleSummary = {
  id: 7, title: "Three underrated scores", author: "Ann Writer", published: "2024-02-01", source: null, format: "text", rating: null,
  imported_at: 0, confirmed: 0, suggested: 2, words: 12,
};

function setup(parts: Partial<Backend> = {}, props: Record<string, unknown> = {}) {
  let links = [link(1, "Amélie", "suggested", 0.95, 1), link(2, "Moon", "suggested", 0.79, 2)];
  const calls = { decide: [] as [number[], string][], above: [] as [number, number, string][] };
  const backend = fakeBackend({
    articles: vi.fn(async () => [summary]),
    article: vi.fn(async () => article(links)),
    tags: async () => [],
    decideLinks: async (ids, decision) => {
      calls.decide.push([ids, decision]);
      links = links.map((l) => (ids.includes(l.id) ? { ...l, status: decision === "confirm" ? "confirmed" : decision === "reject" ? "rejected" : "suggested" } : l));
    },
    decideLinksAbove: async (id, min, decision) => {
      calls.above.push([id, min, decision]);
      const taken = links.filter((l) => l.status === "suggested" && l.confidence >= min);
      links = links.map((l) => (taken.includes(l) ? { ...l, status: "confirmed" } : l));
      return taken.length;
    },
    ...parts,
  });
  const handlers = { onOpenAlbum: vi.fn(), onOpenPerson: vi.fn(), onOpenList: vi.fn() };
  const view = render(ArticlesView, { backend, revision: 0, ...handlers, ...props });
  return { ...view, backend, calls, handlers };
}

test("pasted text is imported, said so, and opened with its links to review", async () => {
  const imported: ArticleImported = { id: 7, created: true, title: "Three underrated scores", suggestions: 2, ranked_entries: 3 };
  const importArticleText = vi.fn(async () => imported);
  const { backend } = setup({ articles: vi.fn(async () => []), importArticleText });
  expect(await screen.findByText("Keep what you read about your soundtracks.")).toBeTruthy();
  await fireEvent.click(screen.getByTestId("article-import-paste"));
  const dialog = screen.getByRole("dialog", { name: "Paste an article or a web address" });
  await fireEvent.input(within(dialog).getByTestId("article-paste-text"), { target: { value: BODY } });
  await fireEvent.click(within(dialog).getByRole("button", { name: "Import" }));
  await waitFor(() => expect(importArticleText).toHaveBeenCalledWith(BODY));
  expect((await screen.findByTestId("article-import-result")).textContent).toBe(
    "Imported “Three underrated scores” · 2 links to review · a ranked list of 3 that can become a list",
  );
  await waitFor(() => expect(backend.article).toHaveBeenCalledWith(7));
  expect(await screen.findByRole("heading", { name: "Three underrated scores", level: 1 })).toBeTruthy();
});

test("a web address is fetched with a Cancel that stops it", async () => {
  let reject: (e: unknown) => void = () => {};
  const importArticleUrl = vi.fn(() => new Promise<ArticleImported>((_, r) => (reject = r)));
  const cancelArticleImport = vi.fn(async () => reject({ code: "cancelled", message: "cancelled" }));
  setup({ importArticleUrl, cancelArticleImport });
  await fireEvent.click(await screen.findByTestId("article-import-paste"));
  await fireEvent.input(screen.getByTestId("article-paste-text"), { target: { value: "  https://example.org/scores  " } });
  await fireEvent.click(screen.getByRole("button", { name: "Fetch and import" }));
  expect(importArticleUrl).toHaveBeenCalledWith("https://example.org/scores");
  const progress = await screen.findByTestId("article-import-progress");
  expect(progress.textContent).toContain("Importing https://example.org/scores");
  await fireEvent.click(within(progress).getByRole("button", { name: "Cancel" }));
  expect(cancelArticleImport).toHaveBeenCalled();
  expect((await screen.findByRole("alert")).textContent).toBe("Cancelled: https://example.org/scores was not imported.");
  expect(screen.queryByTestId("article-import-progress")).toBeNull();
});

test("a file that cannot be imported is named and the next one still imports", async () => {
  const importArticleFile = vi.fn(async (path: string) => {
    if (path.endsWith("bad.bin")) throw { code: "bad_article", message: "bad.bin is binary data, not an article" };
    return { id: 7, created: true, title: "Good", suggestions: 0, ranked_entries: null };
  });
  const onDropTaken = vi.fn();
  setup({ importArticleFile }, { dropped: ["/d/bad.bin", "/d/good.md"], onDropTaken });
  expect(onDropTaken).toHaveBeenCalled();
  expect((await screen.findByRole("alert")).textContent).toBe("bad.bin is binary data, not an article");
  expect((await screen.findByTestId("article-import-result")).textContent).toBe("Imported “Good” · no new links to review");
  expect(importArticleFile).toHaveBeenCalledTimes(2);
});

test("the reader shows the text as text, mentions by status, and decides links", async () => {
  const { calls, handlers } = setup({}, { selected: 7 });
  const body = await screen.findByTestId("article-body");
  expect(body.querySelector("img"), "article markup is never HTML").toBeNull();
  expect(body.textContent).toContain(HOSTILE);
  const marks = [...body.querySelectorAll("mark")].map((m) => [m.textContent, m.dataset.status]);
  expect(marks).toEqual([
    ["Amélie", "suggested"],
    ["Moon", "suggested"],
  ]);

  const rows = screen.getAllByTestId("link-row");
  expect(rows.map((r) => r.dataset.label), "most confident first").toEqual(["Amélie", "Moon"]);
  expect(screen.getByTestId("article-confirm-above").textContent?.trim(), "80% takes Amélie only").toBe("Confirm 1");
  await fireEvent.input(screen.getByTestId("article-threshold"), { target: { value: "75" } });
  expect(screen.getByTestId("article-confirm-above").textContent?.trim()).toBe("Confirm 2");
  await fireEvent.input(screen.getByTestId("article-threshold"), { target: { value: "80" } });
  await fireEvent.click(screen.getByTestId("article-confirm-above"));
  await waitFor(() => expect(calls.above).toEqual([[7, 0.8, "confirm"]]));
  expect((await screen.findByTestId("article-status")).textContent).toBe("Confirmed 1 link at or above 80%.");
  await waitFor(() => expect(body.querySelector('mark[data-status="confirmed"]')?.textContent).toBe("Amélie"));

  const moon = screen.getAllByTestId("link-row").find((r) => r.dataset.label === "Moon")!;
  await fireEvent.click(within(moon).getByTestId("link-reject"));
  await waitFor(() => expect(calls.decide).toEqual([[[2], "reject"]]));
  await waitFor(() => expect(body.querySelector('mark[data-status="rejected"]')?.textContent).toBe("Moon"));
  const rejected = screen.getAllByTestId("link-row").find((r) => r.dataset.label === "Moon")!;
  expect(rejected.dataset.status).toBe("rejected");
  await fireEvent.click(within(rejected).getByTestId("link-undo"));
  await waitFor(() => expect(calls.decide[1]).toEqual([[2], "undecide"]));

  const amelie = screen.getAllByTestId("link-row").find((r) => r.dataset.label === "Amélie")!;
  await fireEvent.click(within(amelie).getByTestId("link-open"));
  expect(handlers.onOpenAlbum).toHaveBeenCalledWith(1);
});

test("a ranked article becomes a list after a preview of what it will hold", async () => {
  const articleToList = vi.fn(async () => 42);
  const { handlers } = setup({ articleToList }, { selected: 7 });
  await fireEvent.click(await screen.findByTestId("article-make-list"));
  const dialog = screen.getByRole("dialog", { name: "Make a list from this article" });
  const entries = within(dialog).getAllByTestId("ranked-entry");
  expect(entries.map((e) => [e.querySelector(".rank")?.textContent, e.dataset.owned])).toEqual([
    ["3", "yes"],
    ["2", "yes"],
    ["1", "no"],
  ]);
  expect(dialog.textContent).toContain("2 in your collection, 1 kept as a wishlist entry");
  await fireEvent.input(within(dialog).getByTestId("make-list-name"), { target: { value: "Underrated" } });
  await fireEvent.click(within(dialog).getByTestId("make-list-submit"));
  await waitFor(() => expect(articleToList).toHaveBeenCalledWith(7, "Underrated"));
  expect((await screen.findByTestId("article-list-made")).textContent).toContain("Made the list “Underrated”.");
  await fireEvent.click(screen.getByTestId("article-open-list"));
  expect(handlers.onOpenList).toHaveBeenCalledWith(42);
});

test("a search reads the matching articles", async () => {
  const { backend } = setup();
  await screen.findByTestId("article-list");
  await fireEvent.input(screen.getByTestId("article-search"), { target: { value: "waltz" } });
  await waitFor(() => expect(backend.articles).toHaveBeenLastCalledWith("waltz"));
});

test("“Mentioned in” shows each article’s sentence and opens the article", async () => {
  const excerpt = "…and Clint Mansell’s Moon is a gem";
  const s = bytes(excerpt.slice(0, excerpt.indexOf("Moon")));
  const mentionedIn = vi.fn(async () => [
    { article_id: 7, title: "Three underrated scores", author: "Ann Writer", published: null, excerpt, excerpt_start: s, excerpt_end: s + 4 },
  ]);
  const onOpenArticle = vi.fn();
  render(MentionedIn, { backend: fakeBackend({ mentionedIn }), subject: { kind: "album", id: 2 }, onOpenArticle });
  const section = await screen.findByTestId("mentioned-in");
  expect(mentionedIn).toHaveBeenCalledWith({ kind: "album", id: 2 });
  expect(section.querySelector("mark")?.textContent).toBe("Moon");
  expect(section.querySelector("blockquote")?.textContent).toBe(excerpt);
  await fireEvent.click(within(section).getByRole("button", { name: "Three underrated scores" }));
  expect(onOpenArticle).toHaveBeenCalledWith(7);
});

test("nothing shows where no article mentions it", async () => {
  const mentionedIn = vi.fn(async () => []);
  render(MentionedIn, { backend: fakeBackend({ mentionedIn }), subject: { kind: "person", name: "Nobody" } });
  await waitFor(() => expect(mentionedIn).toHaveBeenCalled());
  expect(screen.queryByTestId("mentioned-in")).toBeNull();
});

function paste(text: string, target: EventTarget = document.body) {
  const event = new Event("paste", { bubbles: true, cancelable: true });
  Object.defineProperty(event, "clipboardData", { value: { getData: (type: string) => (type === "text/plain" ? text : "") } });
  target.dispatchEvent(event);
}

test("Ctrl+V on the view opens the paste dialog with the text, but not in a field or under a page", async () => {
  const { rerender } = setup();
  await screen.findByTestId("article-list");
  paste("into the search", screen.getByTestId("article-search"));
  expect(screen.queryByRole("dialog"), "pasting into a field is the field's").toBeNull();
  await rerender({ active: false });
  paste("under an album page");
  expect(screen.queryByRole("dialog")).toBeNull();
  await rerender({ active: true });
  paste("1. Jaws\n\nThe shark.");
  const field = (await screen.findByTestId("article-paste-text")) as HTMLTextAreaElement;
  expect(field.value).toBe("1. Jaws\n\nThe shark.");
});

test("a person's page shows their albums once, by year, and the articles that mention them", async () => {
  const row = (id: number, title: string, year: number) => ({
    id, title, album_artist: null, composer: "Clint Mansell", year, label: null, work: null, work_kind: null, tracks: 3, missing: 0,
    discs: null, duration_ms: 0, cover_hash: null, added_at: 0, rating: null,
  });
  const albums = vi.fn(async (q: { query: string }) =>
    q.query.startsWith("composer:") ? [row(2, "Moon", 2009), row(1, "Requiem for a Dream", 2000)] : [row(2, "Moon", 2009)],
  );
  const mentionedIn = vi.fn(async () => [
    { article_id: 7, title: "Three underrated scores", author: null, published: null, excerpt: "Clint Mansell.", excerpt_start: 0, excerpt_end: 13 },
  ]);
  const onOpenAlbum = vi.fn();
  render(PersonView, { backend: fakeBackend({ albums, mentionedIn }), name: "Clint Mansell", onBack: () => {}, onOpenAlbum, onOpenArticle: () => {} });
  expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Clint Mansell");
  const moon = await screen.findByRole("button", { name: /^Moon/ });
  expect(albums.mock.calls.map(([q]) => q.query)).toEqual(['composer:"Clint Mansell"', 'artist:"Clint Mansell"']);
  const titles = [...document.querySelectorAll(".albums .title")].map((e) => e.textContent);
  expect(titles, "each album once, oldest first").toEqual(["Requiem for a Dream", "Moon"]);
  await fireEvent.click(moon);
  expect(onOpenAlbum).toHaveBeenCalledWith(2);
  expect(mentionedIn).toHaveBeenCalledWith({ kind: "person", name: "Clint Mansell" });
  expect((await screen.findByTestId("mentioned-in")).textContent).toContain("Three underrated scores");
});
