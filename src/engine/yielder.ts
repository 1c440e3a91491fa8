/** Lets a synchronous training loop hand the event loop a turn (progress out, cancel in) now and then. */
export class Yielder {
  private last = performance.now();
  constructor(private readonly everyMs = 50) {}
  async maybeYield(): Promise<void> {
    if (performance.now() - this.last < this.everyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
  }
}
