import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { OPS_PATHS, parseAllowedCidrs } from '../../apps/server/src/http/ops-allowlist.ts';
import { policyViolations } from './policy.mjs';

const overlaysDir = join(import.meta.dirname, 'overlays');
const overlays = readdirSync(overlaysDir);

function renderDir(dir) {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(out).map((document) => document.toJS());
}
const render = (overlay) => renderDir(join(overlaysDir, overlay));

const ALLOWLIST = 'nginx.ingress.kubernetes.io/whitelist-source-range';

/** The operator-surface Ingress next to the app's, and the ConfigMap's ADMIN_ALLOWED_CIDRS. */
function opsIngressOf(objects) {
  const ingresses = objects.filter((o) => o.kind === 'Ingress');
  return {
    app: ingresses.find((o) => o.metadata.name === 'bastion'),
    ops: ingresses.find((o) => o.metadata.name === 'bastion-ops'),
    cidrs: objects.find((o) => o.kind === 'ConfigMap').data.ADMIN_ALLOWED_CIDRS,
  };
}

/** Validates an object against the Kubernetes OpenAPI schema of its kind (kubernetes-models). */
async function schemaErrors(object) {
  const models = await import(`kubernetes-models/${object.apiVersion}`);
  const Model = models[object.kind];
  if (!Model) return [`${object.kind} ${object.apiVersion}: no schema`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [`${object.kind}/${object.metadata?.name}: ${error.message}`];
  }
}

const byKind = (objects, kind) => objects.filter((o) => o.kind === kind);

describe.each(overlays)('kubernetes overlay %s', (overlay) => {
  const objects = render(overlay);

  it('renders, and every object is valid against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThan(10);
    const errors = (await Promise.all(objects.map(schemaErrors))).flat();
    expect(errors).toEqual([]);
  });

  it('meets the policies (probes, requests, non-root, read-only root, PDBs, default deny)', () => {
    expect(policyViolations(objects)).toEqual([]);
  });

  it('has the parts: api, worker, scans worker, scheduler, migration hook, ingress with TLS', () => {
    const deployments = byKind(objects, 'Deployment')
      .map((d) => d.metadata.name)
      .sort();
    expect(deployments).toEqual([
      'bastion-api',
      'bastion-scans-worker',
      'bastion-scheduler',
      'bastion-worker',
    ]);
    const env = (name) =>
      Object.fromEntries(
        byKind(objects, 'Deployment')
          .find((d) => d.metadata.name === name)
          .spec.template.spec.containers[0].env.map((e) => [e.name, e.value]),
      );
    expect(env('bastion-scans-worker').WORKER_QUEUES).toBe('scans:4');
    expect(env('bastion-worker').WORKER_QUEUES).not.toContain('scans');
    const api = byKind(objects, 'Deployment').find((d) => d.metadata.name === 'bastion-api');
    const container = api.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/api/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/api/health');
    // preStop delay + the app's shutdown deadline fit in the grace period.
    const config = byKind(objects, 'ConfigMap')[0].data;
    const preStop = Number(container.lifecycle.preStop.exec.command[1]);
    expect(preStop + Number(config.SHUTDOWN_TIMEOUT_MS) / 1000).toBeLessThan(
      api.spec.template.spec.terminationGracePeriodSeconds,
    );
    const job = byKind(objects, 'Job')[0];
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    expect(byKind(objects, 'Ingress')[0].spec.tls[0].secretName).toBeTruthy();
    // Secrets are referenced, never defined here.
    expect(byKind(objects, 'Secret')).toEqual([]);
    expect(container.envFrom.map((e) => e.secretRef?.name).filter(Boolean)).toEqual([
      'bastion-secrets',
    ]);
  });

  it("guards the operator surfaces at the ingress with the ConfigMap's ADMIN_ALLOWED_CIDRS", () => {
    const { app, ops, cidrs } = opsIngressOf(objects);
    // One value for the app and the edge, and one the app accepts at startup.
    expect(ops.metadata.annotations[ALLOWLIST]).toBe(cidrs);
    expect(() => parseAllowedCidrs(cidrs.split(','))).not.toThrow();
    // Exactly the app's operator paths (Prefix matches whole segments, as the app does).
    const paths = ops.spec.rules[0].http.paths;
    expect(paths.map((p) => ({ path: p.path, prefix: p.pathType === 'Prefix' }))).toEqual(
      OPS_PATHS,
    );
    expect(paths.map((p) => p.pathType).every((t) => t === 'Prefix' || t === 'Exact')).toBe(true);
    // Same host, certificate and backend as the app's Ingress; the certificate is issued once.
    expect(ops.spec.rules[0].host).toBe(app.spec.rules[0].host);
    expect(ops.spec.tls).toEqual(app.spec.tls);
    expect(ops.spec.ingressClassName).toBe(app.spec.ingressClassName);
    for (const p of paths) expect(p.backend).toEqual(app.spec.rules[0].http.paths[0].backend);
    expect(ops.metadata.annotations['cert-manager.io/cluster-issuer']).toBeUndefined();
  });

  it('keeps the scans workers out of private ranges', () => {
    const policy = byKind(objects, 'NetworkPolicy').find(
      (p) => p.metadata.name === 'bastion-scans-egress',
    );
    const except = policy.spec.egress[0].to[0].ipBlock.except;
    expect(except).toEqual(
      expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']),
    );
    const scans = byKind(objects, 'Deployment').find(
      (d) => d.metadata.name === 'bastion-scans-worker',
    );
    expect(scans.spec.template.metadata.labels['bastion.dev/egress']).toBe('internet');
  });
});

describe('ADMIN_ALLOWED_CIDRS narrowed in an overlay', () => {
  it('reaches the ingress allow-list and the app alike', () => {
    // A copy of the production overlay, at the same depth (its ../../base still resolves),
    // whose ConfigMap patch narrows the list as an operator would.
    const scratch = mkdtempSync(join(import.meta.dirname, '.overlay-test-'));
    try {
      const dir = join(scratch, 'narrowed');
      mkdirSync(dir);
      const kustomization = parse(
        readFileSync(join(overlaysDir, 'production/kustomization.yaml'), 'utf8'),
      );
      const narrowed = '203.0.113.0/24,2001:db8:ad::/48';
      kustomization.patches.push({
        target: { kind: 'ConfigMap', name: 'bastion-config' },
        patch: stringify([{ op: 'replace', path: '/data/ADMIN_ALLOWED_CIDRS', value: narrowed }]),
      });
      writeFileSync(join(dir, 'kustomization.yaml'), stringify(kustomization));
      const { ops, cidrs } = opsIngressOf(renderDir(dir));
      expect(cidrs).toBe(narrowed);
      expect(ops.metadata.annotations[ALLOWLIST]).toBe(narrowed);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('the manifest policies', () => {
  const objects = render('production');
  it('fail on a Deployment without probes', () => {
    const broken = structuredClone(objects);
    const api = broken.find((o) => o.kind === 'Deployment' && o.metadata.name === 'bastion-api');
    delete api.spec.template.spec.containers[0].readinessProbe;
    delete api.spec.template.spec.containers[0].livenessProbe;
    expect(policyViolations(broken)).toEqual([
      'Deployment/bastion-api container web: no readinessProbe',
      'Deployment/bastion-api container web: no livenessProbe',
    ]);
  });

  it('fail on a writable root, root user, missing requests and a replicated Deployment without PDB', () => {
    const broken = structuredClone(objects).filter(
      (o) => !(o.kind === 'PodDisruptionBudget' && o.metadata.name === 'bastion-worker'),
    );
    const worker = broken.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === 'bastion-worker',
    );
    const container = worker.spec.template.spec.containers[0];
    container.securityContext.readOnlyRootFilesystem = false;
    delete container.resources.requests;
    worker.spec.template.spec.securityContext.runAsNonRoot = false;
    expect(policyViolations(broken).sort()).toEqual(
      [
        'Deployment/bastion-worker container worker: no cpu/memory requests',
        'Deployment/bastion-worker container worker: root filesystem is not read-only',
        'Deployment/bastion-worker: 2 replicas but no PodDisruptionBudget',
        'Deployment/bastion-worker: pod securityContext.runAsNonRoot is not true',
      ].sort(),
    );
  });

  it('the schema validation rejects a malformed object', async () => {
    const bad = structuredClone(objects.find((o) => o.kind === 'Deployment'));
    bad.spec.replicas = 'two';
    expect((await schemaErrors(bad)).length).toBe(1);
  });
});
