// Prometheus metrics in the text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): counters and one histogram,
// kept in memory; gauges are read fresh at scrape time.
import type { Timings } from '../store/ports.js';

type Labels = Record<string, string>;

const labelText = (labels: Labels): string => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

const HELP: Record<string, string> = {
  dh_http_requests_total: 'HTTP requests answered, by route and status.',
  dh_tasks_created_total: 'Video tasks accepted.',
  dh_tasks_finished_total: 'Video tasks finished, by outcome.',
  dh_render_seconds: 'Wall time from a worker starting a task to its result being stored.',
};

const BUCKETS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600];

export class Metrics {
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly histogram = { counts: new Array<number>(BUCKETS.length).fill(0), sum: 0, count: 0 };

  count(name: string, labels: Labels = {}, by = 1): void {
    const series = this.counters.get(name) ?? new Map<string, number>();
    this.counters.set(name, series);
    const key = labelText(labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  observeRender(seconds: number): void {
    BUCKETS.forEach((b, i) => { if (seconds <= b) this.histogram.counts[i]++; });
    this.histogram.sum += seconds;
    this.histogram.count++;
  }

  /**
   * Exposition text; `gauges` are current values (queue depth, tasks by status...), `histograms`
   * ones read at scrape time (the workers' timings, kept with the shared queue).
   */
  render(gauges: { name: string; help: string; values: [Labels, number][] }[], histograms: { name: string; help: string; bounds: readonly number[]; value: Timings }[] = []): string {
    const lines: string[] = [];
    for (const [name, series] of [...this.counters].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} counter`);
      for (const [labels, v] of series) lines.push(`${name}${labels} ${v}`);
    }
    const h = this.histogram;
    lines.push(`# HELP dh_render_seconds ${HELP.dh_render_seconds}`, '# TYPE dh_render_seconds histogram');
    BUCKETS.forEach((b, i) => lines.push(`dh_render_seconds_bucket{le="${b}"} ${h.counts[i]}`));
    lines.push(`dh_render_seconds_bucket{le="+Inf"} ${h.count}`, `dh_render_seconds_sum ${h.sum}`, `dh_render_seconds_count ${h.count}`);
    for (const x of histograms) {
      lines.push(`# HELP ${x.name} ${x.help}`, `# TYPE ${x.name} histogram`);
      x.bounds.forEach((b, i) => lines.push(`${x.name}_bucket{le="${b}"} ${x.value.buckets[i]}`));
      lines.push(`${x.name}_bucket{le="+Inf"} ${x.value.count}`, `${x.name}_sum ${x.value.sum}`, `${x.name}_count ${x.value.count}`);
    }
    for (const g of gauges) {
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      for (const [labels, v] of g.values) lines.push(`${g.name}${labelText(labels)} ${v}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
