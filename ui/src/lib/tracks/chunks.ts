// A window onto a long list that lives in Rust: rows are fetched in fixed-size chunks by offset,
// only the chunks a view asks for, each at most once per question. Asking a new question (a new
// query, sort or library revision) starts a new generation; answers to older generations are
// dropped, so a slow answer can never paint rows of a previous query. Plain TypeScript: views
// learn about new rows through `onChange` and re-read with `get`.

import { messageOf } from "../api/errors";

/** One answer: the rows from the requested offset, and the list's length when the backend knows it. */
export interface Chunk<T> {
  rows: T[];
  total?: number;
}

/** Fetches rows `offset..offset+limit`. */
export type ChunkFetch<T> = (offset: number, limit: number) => Promise<Chunk<T>>;

export interface ChunkCacheOptions {
  /** Rows per request. */
  chunkSize: number;
  /** Chunks kept in memory; those farthest from the last window asked for go first. */
  maxChunks?: number;
  /** Called whenever rows, the total or the error change. */
  onChange?: () => void;
}

export interface ResetOptions {
  /** The list's length when known up front (the album grid knows it from its headings). */
  total?: number | null;
  /** Keep showing the previous rows until their replacements arrive (a rescan, not a new query). */
  keep?: boolean;
}

export class ChunkCache<T> {
  readonly chunkSize: number;
  /** The list's length, once known. */
  total: number | null = null;
  /** Why the last failed chunk failed; cleared by `reset`. */
  error: string | null = null;

  #maxChunks: number;
  #onChange: () => void;
  #fetch: ChunkFetch<T> | null = null;
  #generation = 0;
  #fresh = new Map<number, T[]>();
  #stale = new Map<number, T[]>();
  #pending = new Map<number, Promise<void>>();
  #failed = new Set<number>();
  #focus = 0;
  #answered = false;

  constructor(options: ChunkCacheOptions) {
    this.chunkSize = Math.max(1, Math.floor(options.chunkSize));
    this.#maxChunks = Math.max(2, options.maxChunks ?? 64);
    this.#onChange = options.onChange ?? (() => {});
  }

  /** The current generation; bumps on every `reset`. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Whether `total` answers the current question (given to `reset`, or from an answer since).
   * Until then `total` may be the previous question's, kept for display.
   */
  get answered(): boolean {
    return this.#answered;
  }

  /** Whether any chunk is being fetched for the current generation. */
  get loading(): boolean {
    return this.#pending.size > 0;
  }

  /** Starts over with a new question. */
  reset(fetch: ChunkFetch<T>, options: ResetOptions = {}): void {
    this.#generation++;
    this.#fetch = fetch;
    this.#stale = options.keep ? new Map([...this.#stale, ...this.#fresh]) : new Map();
    this.#fresh = new Map();
    this.#pending = new Map();
    this.#failed = new Set();
    this.error = null;
    if (options.total !== undefined) this.total = options.total;
    else if (!options.keep) this.total = null;
    this.#answered = options.total !== undefined;
    this.#dropBeyondTotal();
    this.#onChange();
  }

  /** The row at `index` if it has arrived (or a previous generation's, when reset with `keep`). */
  get(index: number): T | undefined {
    const chunk = Math.floor(index / this.chunkSize);
    const rows = this.#fresh.get(chunk) ?? this.#stale.get(chunk);
    return rows?.[index - chunk * this.chunkSize];
  }

  /** Whether the current generation's row at `index` has arrived. */
  has(index: number): boolean {
    const chunk = Math.floor(index / this.chunkSize);
    const rows = this.#fresh.get(chunk);
    return rows !== undefined && index - chunk * this.chunkSize < rows.length;
  }

  /**
   * Fetches the chunks that cover rows `from..to` and are neither here, on their way, nor failed.
   * Resolves when every one of them has settled (an answer for an older generation settles too).
   */
  ensure(from: number, to: number): Promise<void> {
    const fetch = this.#fetch;
    if (!fetch) return Promise.resolve();
    // The previous question's length (kept for display) must not stop this one from asking.
    const end = this.total == null || !this.#answered ? to : Math.min(to, this.total);
    if (end <= from) return Promise.resolve();
    const first = Math.floor(Math.max(0, from) / this.chunkSize);
    const last = Math.floor((end - 1) / this.chunkSize);
    this.#focus = (first + last) / 2;
    const waits: Promise<void>[] = [];
    for (let chunk = first; chunk <= last; chunk++) {
      if (this.#fresh.has(chunk) || this.#failed.has(chunk)) continue;
      waits.push(this.#pending.get(chunk) ?? this.#load(fetch, chunk));
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Rows `from..to` of the current generation, fetching what is missing (undefined where a chunk failed). */
  async rows(from: number, to: number): Promise<(T | undefined)[]> {
    const generation = this.#generation;
    const out: (T | undefined)[] = [];
    for (let start = from; start < to; start += this.chunkSize * 8) {
      const stop = Math.min(to, start + this.chunkSize * 8);
      await this.ensure(start, stop);
      if (generation !== this.#generation) return [];
      for (let i = start; i < stop; i++) out.push(this.has(i) ? this.get(i) : undefined);
    }
    return out;
  }

  #load(fetch: ChunkFetch<T>, chunk: number): Promise<void> {
    const generation = this.#generation;
    const offset = chunk * this.chunkSize;
    const done = fetch(offset, this.chunkSize).then(
      (answer) => {
        if (generation !== this.#generation) return;
        this.#pending.delete(chunk);
        this.#fresh.set(chunk, answer.rows);
        this.#stale.delete(chunk);
        if (answer.total !== undefined) this.#answered = true;
        if (answer.total !== undefined && answer.total !== this.total) {
          this.total = answer.total;
          this.#dropBeyondTotal();
        }
        this.#evict();
        this.#onChange();
      },
      (e: unknown) => {
        if (generation !== this.#generation) return;
        this.#pending.delete(chunk);
        this.#failed.add(chunk);
        this.error = messageOf(e);
        this.#onChange();
      },
    );
    this.#pending.set(chunk, done);
    return done;
  }

  /** A shorter list (a rescan removed rows) must not keep showing old rows past its end. */
  #dropBeyondTotal(): void {
    if (this.total == null) return;
    const lastChunk = Math.floor(Math.max(0, this.total - 1) / this.chunkSize);
    for (const chunk of [...this.#stale.keys()]) if (chunk > lastChunk) this.#stale.delete(chunk);
  }

  #evict(): void {
    if (this.#fresh.size + this.#stale.size <= this.#maxChunks) return;
    const byDistance = (m: Map<number, T[]>) =>
      [...m.keys()].sort((a, b) => Math.abs(b - this.#focus) - Math.abs(a - this.#focus));
    for (const chunk of byDistance(this.#stale)) {
      if (this.#fresh.size + this.#stale.size <= this.#maxChunks) return;
      this.#stale.delete(chunk);
    }
    for (const chunk of byDistance(this.#fresh)) {
      if (this.#fresh.size <= this.#maxChunks) return;
      this.#fresh.delete(chunk);
    }
  }
}
