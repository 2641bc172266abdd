/**
 * Coalesces bursts of store events into at most one refresh per interval: 1,000 metric points a
 * second must not repaint a tree 1,000 times. The first event of a quiet period refreshes after
 * `intervalMs`, and events meanwhile ride along.
 */
export class RefreshBatcher {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly refresh: () => void,
    private readonly intervalMs = 250,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, this.intervalMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
