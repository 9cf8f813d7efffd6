#!/usr/bin/env node
// `npm run gate:deps`: the dependency gate of CI.
//   audit     npm audit of production dependencies; a high or critical advisory fails unless
//             security/audit-allowlist.json lists it with a reason and an unexpired date.
//   licenses  every production dependency's licence is in security/licenses.json.
//   sbom      writes the CycloneDX SBOM of the production tree (dist/sbom.cdx.json).
// With no argument: all three. `--offline-ok`: when the audit endpoint cannot be reached, warn
// instead of failing (the audit did not run, which is said loudly; findings still fail).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);
const SEVERE = new Set(['high', 'critical']);

/** The advisory ids of one `via` entry of npm audit's JSON (v2): GHSA id and npm number. */
function advisoryIds(via) {
  const ids = [String(via.source)];
  const ghsa = /GHSA-[\w-]+/.exec(via.url ?? '');
  if (ghsa) ids.push(ghsa[0]);
  return ids;
}

/**
 * Decides on an `npm audit --json` report. Returns { failures, allowed, warnings } as lines;
 * the gate fails when failures is not empty. Pure, so the tests feed it made-up reports.
 */
export function evaluateAudit(report, allowlist, today = new Date().toISOString().slice(0, 10)) {
  const failures = [];
  const allowed = [];
  const warnings = [];
  for (const entry of allowlist.advisories ?? []) {
    if (!entry.id || !entry.reason || !/^\d{4}-\d{2}-\d{2}$/.test(entry.expires ?? '')) {
      failures.push(
        `allow-list entry ${JSON.stringify(entry)} needs id, reason and expires (YYYY-MM-DD)`,
      );
    } else if (entry.expires < today) {
      failures.push(
        `allow-list entry ${entry.id} (${entry.package ?? '?'}) expired on ${entry.expires}: fix the dependency or renew the entry with a reason`,
      );
    }
  }
  const live = new Map(
    (allowlist.advisories ?? []).filter((e) => e.expires >= today).map((e) => [String(e.id), e]),
  );
  const used = new Set();
  const seen = new Set();
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      // A string `via` names another vulnerable package; its own entry carries the advisory.
      if (typeof via !== 'object' || !SEVERE.has(via.severity)) continue;
      const ids = advisoryIds(via);
      const key = `${name} ${ids[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const line = `${via.severity} ${name} ${via.range ?? ''}: ${via.title ?? ''} (${ids.join(', ')})`;
      const entry = ids.map((id) => live.get(id)).find(Boolean);
      if (entry) {
        used.add(String(entry.id));
        allowed.push(`${line}: allowed until ${entry.expires}, ${entry.reason}`);
      } else failures.push(line);
    }
  }
  for (const id of live.keys()) {
    if (!used.has(id))
      warnings.push(`allow-list entry ${id} matches no current advisory: remove it`);
  }
  return { failures, allowed, warnings };
}

/** npm's error JSON for an unreachable or refusing endpoint, as opposed to a report. */
export function auditUnavailable(report) {
  if (report.vulnerabilities || report.auditReportVersion) return undefined;
  if (report.error || report.message || report.code) {
    return String(report.message ?? report.error?.summary ?? report.code);
  }
  return 'npm audit returned no report';
}

/** True when the SPDX expression is satisfied by the allowed ids (OR: one side, AND: both). */
export function licenseAllowed(expression, allowed) {
  const text = String(expression ?? '').trim();
  if (!text) return false;
  const strip = (s) =>
    s
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim();
  const e = strip(text);
  if (/ OR /i.test(e)) return e.split(/ OR /i).some((part) => licenseAllowed(strip(part), allowed));
  if (/ AND /i.test(e))
    return e.split(/ AND /i).every((part) => licenseAllowed(strip(part), allowed));
  return allowed.includes(e.replace(/\+$/, ''));
}

/** Licence findings for the production packages of a package-lock (v2/v3) object. */
export function evaluateLicenses(lock, policy) {
  const failures = [];
  let checked = 0;
  const exceptions = new Map((policy.exceptions ?? []).map((e) => [e.package, e]));
  for (const [path, meta] of Object.entries(lock.packages ?? {})) {
    // The root and the workspaces are Bastion itself; links point at them.
    if (!path.includes('node_modules/') || meta.dev || meta.link) continue;
    const name =
      meta.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    checked += 1;
    if (licenseAllowed(meta.license, policy.allowed)) continue;
    const exception = exceptions.get(name);
    if (exception && exception.license === meta.license) continue;
    failures.push(
      `${name}@${meta.version ?? '?'}: licence ${meta.license ?? 'not declared'} is not allowed (security/licenses.json)`,
    );
  }
  return { failures, checked };
}

async function audit({ offlineOk }) {
  const allowlist = JSON.parse(readFileSync(join(root, 'security/audit-allowlist.json'), 'utf8'));
  let stdout;
  try {
    ({ stdout } = await run('npm', ['audit', '--omit=dev', '--json'], {
      cwd: root,
      maxBuffer: 64 << 20,
    }));
  } catch (error) {
    // npm audit exits 1 both for findings and for errors; the JSON tells which.
    stdout = error.stdout ?? '';
  }
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = { message: `unreadable npm audit output: ${stdout.slice(0, 200)}` };
  }
  const unavailable = auditUnavailable(report);
  if (unavailable) {
    const line = `audit: NOT RUN, the registry's audit endpoint did not answer: ${unavailable}`;
    if (offlineOk) {
      console.warn(`${line}\naudit: --offline-ok given, continuing without an audit`);
      // The allow-list is still checked: an expired entry fails whatever the network does.
      const { failures } = evaluateAudit({ vulnerabilities: {} }, allowlist);
      return failures.map((f) => `audit: ${f}`);
    }
    return [
      `${line} (run where registry.npmjs.org's audit API is reachable, or pass --offline-ok)`,
    ];
  }
  const { failures, allowed, warnings } = evaluateAudit(report, allowlist);
  for (const line of allowed) console.log(`audit: allowed ${line}`);
  for (const line of warnings) console.warn(`audit: ${line}`);
  const total = report.metadata?.dependencies?.prod ?? '?';
  if (!failures.length)
    console.log(
      `audit: no unallowed high or critical advisory in ${total} production dependencies`,
    );
  return failures.map((f) => `audit: ${f}`);
}

function licenses() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const policy = JSON.parse(readFileSync(join(root, 'security/licenses.json'), 'utf8'));
  const { failures, checked } = evaluateLicenses(lock, policy);
  if (!failures.length)
    console.log(`licenses: ${checked} production packages, every licence allowed`);
  return failures.map((f) => `licenses: ${f}`);
}

async function sbom() {
  const { stdout } = await run(
    'npm',
    ['sbom', '--sbom-format', 'cyclonedx', '--omit=dev', '--package-lock-only'],
    {
      cwd: root,
      maxBuffer: 64 << 20,
    },
  );
  const document = JSON.parse(stdout);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'dist/sbom.cdx.json'), `${JSON.stringify(document, null, 2)}\n`);
  console.log(
    `sbom: dist/sbom.cdx.json, CycloneDX ${document.specVersion}, ${document.components?.length ?? 0} components`,
  );
  return [];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const offlineOk = args.includes('--offline-ok');
  const steps = args.filter((a) => !a.startsWith('--'));
  const wanted = steps.length ? steps : ['audit', 'licenses', 'sbom'];
  const failures = [];
  for (const step of wanted) {
    if (step === 'audit') failures.push(...(await audit({ offlineOk })));
    else if (step === 'licenses') failures.push(...licenses());
    else if (step === 'sbom') failures.push(...(await sbom()));
    else failures.push(`unknown step ${step}`);
  }
  if (failures.length) {
    console.error(`dependency gate failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
    process.exit(1);
  }
}
