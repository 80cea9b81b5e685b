// A one-line progress bar on stderr. On a terminal it redraws in place; elsewhere (logs, CI)
// it prints a line per stage and per 10 %, so logs stay readable.

export interface ProgressBar {
  update(stage: string, fraction: number): void;
  done(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = Boolean(stream.isTTY);
  let lastStage = '';
  let lastDecile = -1;
  const started = Date.now();
  return {
    update(stage, fraction) {
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (tty) {
        const width = 30;
        const filled = Math.round((pct / 100) * width);
        stream.write(`\r${stage.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${secs}s `);
        return;
      }
      const decile = Math.floor(pct / 10);
      if (stage !== lastStage || decile !== lastDecile) {
        stream.write(`${stage} ${pct}% (${secs}s)\n`);
        lastStage = stage;
        lastDecile = decile;
      }
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
