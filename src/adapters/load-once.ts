// Models load once per process and every caller shares the load. A load that fails is not kept,
// so the next caller tries again (a file put back, a passing error) rather than failing for good.
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => (loading ??= load().catch((err: unknown) => {
    loading = null;
    throw err;
  }));
}
