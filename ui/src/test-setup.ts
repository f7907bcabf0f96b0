import { cleanup } from "@testing-library/svelte";
import { afterEach } from "vitest";

// jsdom lacks the observer Svelte's bind:clientWidth uses; component tests get an inert one
// (jsdom computes no layout, so there is nothing to observe).
if (typeof window !== "undefined" && !("ResizeObserver" in window)) {
  class InertObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.assign(globalThis, { ResizeObserver: InertObserver });
}

// Each component test starts from an empty document.
afterEach(() => cleanup());
