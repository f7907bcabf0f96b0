import { describe, expect, it } from "vitest";

import type { AlbumPage, TrackRow } from "../api/types";
import {
  credits,
  discSections,
  emptyAnnotations,
  limitedLine,
  missingNotice,
  playableIds,
  releaseLine,
  summaryLine,
  tagNames,
  trackComposer,
  withAlbumAnnotations,
  withTrack,
  withWorkAnnotations,
  workLine,
  yearLine,
} from "./album";

function track(id: number, over: Partial<TrackRow> = {}): TrackRow {
  return {
    id,
    title: `Cue ${id}`,
    artists: [],
    composers: ["Joe Hisaishi"],
    album_id: 1,
    album: "Spirited Away",
    work: "Spirited Away",
    disc_no: 1,
    track_no: id,
    year: 2001,
    duration_ms: 120_000,
    format: "flac",
    codec: null,
    sample_rate: 44_100,
    bit_depth: 16,
    channels: 2,
    bitrate: null,
    path: `/music/sa/${id}.flac`,
    missing_since: null,
    cover_hash: null,
    rating: null,
    cue: null,
    tags: [],
    ...over,
  };
}

const page = {
  composer: "Joe Hisaishi",
  composers: ["Joe Hisaishi"],
  conductors: ["Joe Hisaishi"],
  orchestrators: [],
  performers: ["New Japan Philharmonic", "Tokyo Choir"],
} as unknown as AlbumPage;

describe("album page", () => {
  it("cuts the tracklist into discs in disc order", () => {
    const list = [track(1), track(2, { disc_no: 2 }), track(3, { disc_no: null }), track(4, { disc_no: 2 })];
    expect(discSections(list).map((d) => [d.label, d.tracks.map((t) => t.id)])).toEqual([
      ["Disc 1", [1, 3]],
      ["Disc 2", [2, 4]],
    ]);
  });

  it("has no disc heading for a single disc", () => {
    expect(discSections([track(1), track(2)]).map((d) => d.label)).toEqual([null]);
    expect(discSections([])).toEqual([]);
  });

  it("names a track's composer only when it is not the album's", () => {
    expect(trackComposer(track(1), page)).toBeNull();
    expect(trackComposer(track(1, { composers: ["joe hisaishi "] }), page), "case and spaces do not count").toBeNull();
    expect(trackComposer(track(1, { composers: ["Yumi Kimura"] }), page)).toBe("Yumi Kimura");
    expect(trackComposer(track(1, { composers: [] }), page)).toBeNull();
  });

  it("lists credits with singular and plural roles, skipping empty ones", () => {
    expect(credits(page)).toEqual([
      { role: "Composer", names: "Joe Hisaishi" },
      { role: "Conductor", names: "Joe Hisaishi" },
      { role: "Performers", names: "New Japan Philharmonic, Tokyo Choir" },
    ]);
  });

  it("summarizes the work, the release, the years and the length", () => {
    expect(workLine({ work: "Spirited Away", work_kind: "film", work_year: 2001 })).toBe("Film · Spirited Away (2001)");
    expect(workLine({ work: "Halo", work_kind: null, work_year: null })).toBe("Halo");
    expect(workLine({ work: null, work_kind: null, work_year: null })).toBeNull();
    expect(releaseLine({ release_kind: "score", edition: "expanded edition", release_type: "album", compilation: false })).toBe(
      "Score · Expanded edition · Album",
    );
    expect(releaseLine({ release_kind: null, edition: null, release_type: null, compilation: false })).toBeNull();
    expect(yearLine({ year: 2014, original_year: 2001 })).toBe("2014 (original 2001)");
    expect(yearLine({ year: 2001, original_year: 2001 })).toBe("2001");
    expect(yearLine({ year: null, original_year: null })).toBeNull();
    expect(summaryLine({ tracks: 21, discs: 2, duration_ms: 4_325_000 })).toBe("21 tracks · 2 discs · 1:12:05");
    expect(summaryLine({ tracks: 1, discs: 1, duration_ms: 0 })).toBe("1 track");
  });

  it("explains missing files and leaves them out of skims", () => {
    expect(missingNotice({ tracks: 12, missing: 0 })).toBeNull();
    expect(missingNotice({ tracks: 12, missing: 3 })).toMatch(/^3 of 12 files are missing\./);
    expect(missingNotice({ tracks: 2, missing: 2 })).toMatch(/^All files of this album are missing\./);
    expect(playableIds([track(1), track(2, { missing_since: 5 }), track(3)])).toEqual([1, 3]);
  });

  it("lists tag names in order", () => {
    expect(tagNames([{ name: "choir", color: "#aa0000" }, { name: "b", color: null }])).toEqual(["choir", "b"]);
  });

  it("replaces a track row, the album's annotations and the work's without mutating the page", () => {
    const before = {
      ...page,
      rating: null,
      tracklist: [track(1), track(2)],
      annotations: emptyAnnotations(),
      work_annotations: null,
    } as AlbumPage;
    const rated = withTrack(before, 2, { rating: 4, cue: "1M2" });
    expect(rated.tracklist.map((t) => [t.rating, t.cue])).toEqual([
      [null, null],
      [4, "1M2"],
    ]);
    expect(before.tracklist[1].rating, "the old page is untouched").toBeNull();
    const album = withAlbumAnnotations(before, { rating: 5 });
    expect([album.rating, album.annotations.rating], "the album row's rating follows").toEqual([5, 5]);
    expect(withWorkAnnotations(before, { note: "x" }).work_annotations).toEqual({ ...emptyAnnotations(), note: "x" });
  });

  it("says how many copies a limited edition has", () => {
    const of = (limited_to?: number) => ({ annotations: { ...emptyAnnotations(), fields: { limited_to } } });
    expect(limitedLine(of(3000))).toBe("3,000 copies");
    expect(limitedLine(of(1))).toBe("1 copy");
    expect(limitedLine(of(undefined))).toBeNull();
  });
});
