// `npm test`: typecheck, lint, unit, integration (real registry), end-to-end (real browser), then one closing
// line `N passed, N failed`. Every step runs even when an earlier one failed, so one run shows everything.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const work = mkdtempSync(join(tmpdir(), 'porthole-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function record(name, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  summary.push(`${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

function check(name, command, args) {
  console.log(`\n=== ${name} ===`);
  const ok = run(command, args);
  record(name, ok ? 1 : 0, ok ? 0 : 1);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitest(project) {
  console.log(`\n=== ${project} tests ===`);
  const output = join(work, `${project}.json`);
  const ok = run('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${output}`]);
  const report = readJson(output);
  if (!report) {
    record(project, 0, 1);
    return;
  }
  const failed = report.numFailedTests + (ok || report.numFailedTests > 0 ? 0 : 1);
  record(project, report.numPassedTests, failed, report.numPendingTests + report.numTodoTests);
}

/** The OCI conformance suite against Porthole's /v2 (scripts/v2-conformance.ts); its specs count one each. */
function conformance() {
  console.log('\n=== registry conformance (/v2) ===');
  if (!run('node', ['scripts/ensure-conformance-suite.mjs'])) {
    record('conformance', 0, 1);
    return;
  }
  const result = spawnSync('node', ['--conditions=react-server', '--import', 'tsx', 'scripts/v2-conformance.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  process.stdout.write(result.stdout ?? '');
  const line = /(\d+) passed, (\d+) failed, (\d+) skipped\s*$/.exec((result.stdout ?? '').trim());
  if (!line) {
    record('conformance', 0, 1);
    return;
  }
  const failed = Number(line[2]) + (result.status === 0 || Number(line[2]) > 0 ? 0 : 1);
  record('conformance', Number(line[1]), failed, Number(line[3]));
}

function e2e() {
  console.log('\n=== build ===');
  if (!run('npx', ['next', 'build'])) {
    record('e2e', 0, 1);
    return;
  }
  console.log('\n=== e2e tests ===');
  const output = join(work, 'e2e.json');
  const ok = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: output });
  const report = readJson(output);
  if (!report?.stats) {
    record('e2e', 0, 1);
    return;
  }
  const { expected, unexpected, flaky, skipped } = report.stats;
  record('e2e', expected + flaky, unexpected + (ok || unexpected > 0 ? 0 : 1), skipped);
}

const systemOk = run('node', ['scripts/ensure-system-packages.mjs']);
check('typecheck', 'npx', ['tsc', '--noEmit']);
check('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
vitest('unit');
if (systemOk) {
  vitest('integration');
  conformance();
  e2e();
} else {
  record('system packages', 0, 1);
}

rmSync(work, { recursive: true, force: true });
console.log('\n' + summary.join('\n'));
// Skipped tests are reported but never counted as passing.
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
