// The OCI distribution-spec conformance suite (v1.1.1) against Porthole's `/v2` server, run by `npm test`:
// all four workflows against a `memory` and a `layout` source, the pull workflow against a `serve: read`
// source (preloaded), plus checks that pushes to that source are refused with 403 DENIED. Prints one line per
// run and ends with `N passed, N failed, N skipped` (the suite's spec counts plus the refusal checks).
// Run with: node --conditions=react-server --import tsx scripts/v2-conformance.ts
// (V2_CONFORMANCE_REPORTS=DIR keeps the suite's junit.xml/report.html per run in DIR.)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startV2Stack, type V2Stack } from '@/lib/registry/server/testing/stack';

// `../shared/tools/oci-conformance` beside the clone (CI); a worktree one level deeper looks one further up.
const SUITE =
  process.env.OCI_CONFORMANCE_DIR ??
  [join('..', 'shared'), join('..', '..', 'shared')].map((dir) => resolve(dir, 'tools', 'oci-conformance')).find((dir) => existsSync(join(dir, 'run.sh'))) ??
  resolve('..', 'shared', 'tools', 'oci-conformance');
const totals = { passed: 0, failed: 0, skipped: 0 };

/** Runs `run.sh` (asynchronously: the server under test lives in this process) and returns its stdout and exit code. */
function runScript(args: string[], env: Record<string, string>): Promise<{ stdout: string; status: number | null }> {
  return new Promise((done) => {
    const child = spawn('bash', args, { env: { ...process.env, CONFORMANCE_ALLOW_FAIL: '1', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('close', (status) => done({ stdout, status }));
  });
}

/**
 * One run of the suite; `countSkipped: false` for a run that disables workflows on purpose (its skips are
 * the workflows left out, not tests that could not run).
 */
async function runSuite(label: string, url: string, env: Record<string, string>, reportDir: string, countSkipped = true): Promise<void> {
  const result = await runScript([join(SUITE, 'run.sh'), url, reportDir], env);
  const line = /(\d+) passed, (\d+) failed, (\d+) skipped/.exec(result.stdout ?? '');
  if (!line) {
    console.log(`${label}: the suite did not finish (exit ${result.status})`);
    totals.failed += 1;
    return;
  }
  const [passed, failed, skipped] = [Number(line[1]), Number(line[2]), Number(line[3])];
  totals.passed += passed;
  totals.failed += failed;
  if (countSkipped) totals.skipped += skipped;
  const where = process.env.V2_CONFORMANCE_REPORTS ? ` (reports in ${reportDir})` : '';
  console.log(`${label}: ${passed} passed, ${failed} failed, ${skipped} skipped${where}`);
}

/** Pushes to a `serve: read` source must be refused with 403 DENIED, whatever the endpoint. */
async function checkReadOnlyRefusals(stack: V2Stack): Promise<void> {
  const base = `${stack.url}/v2/ro/conformance/refused`;
  const attempts: [string, RequestInit & { duplex?: 'half' }][] = [
    [`${base}/blobs/uploads/`, { method: 'POST' }],
    [`${base}/blobs/uploads/?digest=${stack.preloaded.blobDigest}`, { method: 'POST', body: 'x' }],
    [`${base}/manifests/v1`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }],
    [`${stack.url}/v2/ro/${stack.preloaded.repository}/manifests/${stack.preloaded.manifestDigest}`, { method: 'DELETE' }],
  ];
  for (const [url, init] of attempts) {
    const response = await fetch(url, init);
    const body = (await response.json().catch(() => null)) as { errors?: { code?: string }[] } | null;
    const code = body?.errors?.[0]?.code;
    const wanted = init.method === 'DELETE' ? [405, 'UNSUPPORTED'] : [403, 'DENIED'];
    const ok = response.status === wanted[0] && code === wanted[1];
    console.log(`read-only source refuses ${init.method} ${new URL(url).pathname}: ${ok ? 'ok' : `FAILED (${response.status} ${code})`}`);
    if (ok) totals.passed += 1;
    else totals.failed += 1;
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(SUITE, 'run.sh'))) {
    console.log(`conformance suite not found at ${SUITE}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  const stack = await startV2Stack();
  const reports = join(stack.dataDir, 'reports');
  const keep = process.env.V2_CONFORMANCE_REPORTS;
  try {
    const run = (name: string) => ({
      OCI_NAMESPACE: `${name}/conformance/app`,
      OCI_CROSSMOUNT_NAMESPACE: `${name}/conformance/other`,
      OCI_AUTOMATIC_CROSSMOUNT: '1',
    });
    await runSuite('memory source, all workflows', stack.url, run('mem'), join(keep ?? reports, 'memory'));
    await runSuite('layout source, all workflows', stack.url, run('lay'), join(keep ?? reports, 'layout'));
    await runSuite('read source, pull workflow', stack.url, {
      OCI_NAMESPACE: `ro/${stack.preloaded.repository}`,
      OCI_TEST_PUSH: '0',
      OCI_TEST_CONTENT_DISCOVERY: '0',
      OCI_TEST_CONTENT_MANAGEMENT: '0',
      OCI_TAG_NAME: stack.preloaded.tag,
      OCI_MANIFEST_DIGEST: stack.preloaded.manifestDigest,
      OCI_BLOB_DIGEST: stack.preloaded.blobDigest,
    }, join(keep ?? reports, 'read'), false);
    await checkReadOnlyRefusals(stack);
  } finally {
    await stack.close();
  }
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

await main();
