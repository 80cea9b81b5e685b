// Bounded polling: a fixed number of rounds at most, paused while the tab is hidden, stopped
// when the page is left.

export interface Poller { stop(): void; kick(): void }

export function poll(tick: (signal: AbortSignal) => Promise<boolean>, opts: { intervalMs: number; maxRounds: number; interval?: () => number }): Poller {
  const ctrl = new AbortController();
  let rounds = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  const schedule = () => {
    clearTimeout(timer);
    if (ctrl.signal.aborted || rounds >= opts.maxRounds) return;
    timer = setTimeout(run, opts.interval?.() ?? opts.intervalMs);
  };
  const run = async () => {
    if (ctrl.signal.aborted || running) return;
    if (document.hidden) { schedule(); return; }
    running = true;
    rounds++;
    let again = true;
    try {
      again = await tick(ctrl.signal);
    } catch {
      again = true; // a failed round (network blip) is retried, within the same bound
    } finally {
      running = false;
    }
    if (again) schedule();
  };
  const onVisible = () => { if (!document.hidden) void run(); };
  document.addEventListener('visibilitychange', onVisible);
  return {
    stop() { ctrl.abort(); clearTimeout(timer); document.removeEventListener('visibilitychange', onVisible); },
    kick() { rounds = 0; clearTimeout(timer); void run(); },
  };
}
