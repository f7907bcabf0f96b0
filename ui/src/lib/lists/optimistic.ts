// Changes a list page shows at once and sends to Rust afterwards (a reorder, a new ranking), one
// after another in the order they were made. Rust applies each change in one transaction, so a
// change that fails changed nothing: what was shown before it comes back. When a later change was
// already shown on top of it, that is not exact, so the page is read again once nothing is on
// its way.

export interface OptimisticHooks<T> {
  /** What is shown now: MUST be the very value last given to `show` (a `$state.raw`, not a proxy). */
  get: () => T;
  show: (value: T) => void;
  /** Why a change failed, for the user; `what` is the change's own words ("Could not move"). */
  failed: (error: unknown, what: string) => void;
  /** Reads the truth from Rust again. */
  reload: () => Promise<void> | void;
}

export class Optimistic<T> {
  #hooks: OptimisticHooks<T>;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting = 0;
  #stale = false;

  constructor(hooks: OptimisticHooks<T>) {
    this.#hooks = hooks;
  }

  /** Whether a change is on its way to Rust. */
  get busy(): boolean {
    return this.#waiting > 0;
  }

  /**
   * Shows `next` now and runs `send` after the changes before it; resolves to whether it was
   * saved (a failure is reported through `failed`, never thrown).
   */
  apply(next: T, send: () => Promise<unknown>, what = "Could not save the change"): Promise<boolean> {
    const h = this.#hooks;
    const before = h.get();
    h.show(next);
    this.#waiting++;
    const done = this.#queue.then(async () => {
      let ok = true;
      try {
        await send();
      } catch (e) {
        ok = false;
        if (h.get() === next) h.show(before);
        else this.#stale = true;
        h.failed(e, what);
      }
      this.#waiting--;
      if (this.#waiting === 0 && this.#stale) {
        this.#stale = false;
        await h.reload();
      }
      return ok;
    });
    this.#queue = done;
    return done;
  }

  /** Resolves once every change made so far has been sent. */
  settled(): Promise<void> {
    return this.#queue.then(() => {});
  }
}
