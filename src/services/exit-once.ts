/**
 * A process end that may be reported several ways (exit, error, Electron's child-process-gone): the
 * first report wins and reaches the one listener, the rest are ignored.
 */
export class ExitOnce {
  private listener: ((reason: string) => void) | undefined;
  ended = false;

  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.listener?.(reason);
  }

  onExit(listener: (reason: string) => void): void {
    this.listener = listener;
  }
}
