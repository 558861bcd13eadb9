/**
 * Next.js start-up hook: validates the configuration (and prepares the demo source) before the first request,
 * so that a configuration error stops the server with a message naming the file, source and field.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Every log line of the process, the framework's included, without secrets or local paths (docs/security.md).
  const { installConsoleRedaction } = await import('@/lib/redaction/console');
  installConsoleRedaction();
  // Registry clients need Content-Length, which Next drops from route responses (see lib/server/content-length.ts).
  const { installContentLengthPassthrough } = await import('@/lib/server/content-length');
  installContentLengthPassthrough();
  // Registry requests and deletions feed the metrics and the JSON log lines (docs/operations.md).
  const { installObservability } = await import('@/lib/server/observability');
  installObservability();
  const { checkStartup } = await import('@/lib/server/startup');
  await checkStartup();
  // The first catalog page after a start is answered from the kept catalog (docs/operations.md).
  const { warmCatalogs } = await import('@/lib/server/catalog-warm');
  void warmCatalogs().catch(() => undefined);
}
