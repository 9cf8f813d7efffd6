// Policies every Bastion manifest must meet, beyond the Kubernetes schemas. Pure functions over
// rendered objects: deploy/kubernetes/manifests.test.mjs runs them on every overlay and on
// broken manifests (to prove they fail).

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

function podSpecOf(object) {
  return object.spec?.template?.spec;
}

/** Lines naming each violation; empty when the objects comply. */
export function policyViolations(objects) {
  const problems = [];
  for (const object of objects) {
    if (!WORKLOADS.has(object.kind)) continue;
    const name = `${object.kind}/${object.metadata?.name}`;
    const pod = podSpecOf(object) ?? {};
    const long = object.kind !== 'Job';
    if (pod.securityContext?.runAsNonRoot !== true)
      problems.push(`${name}: pod securityContext.runAsNonRoot is not true`);
    if (pod.automountServiceAccountToken !== false)
      problems.push(`${name}: automountServiceAccountToken is not false`);
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const where = `${name} container ${container.name}`;
      const security = container.securityContext ?? {};
      if (security.readOnlyRootFilesystem !== true)
        problems.push(`${where}: root filesystem is not read-only`);
      if (security.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (!(security.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`${where}: capabilities are not dropped (drop: [ALL])`);
      if (security.runAsUser === 0) problems.push(`${where}: runs as uid 0`);
      if (!container.resources?.requests?.cpu || !container.resources?.requests?.memory) {
        problems.push(`${where}: no cpu/memory requests`);
      }
      if (!container.resources?.limits?.memory) problems.push(`${where}: no memory limit`);
      if (long) {
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          if (!container[probe]) problems.push(`${where}: no ${probe}`);
        }
      }
      if (
        /:latest$|^[^:@]+$/.test(container.image ?? '') &&
        object.metadata?.namespace === 'bastion'
      ) {
        problems.push(`${where}: production image ${container.image} is not pinned`);
      }
    }
  }
  // Every Deployment with more than one replica (or an HPA) needs a PDB selecting its pods.
  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  const hpaTargets = new Set(
    objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => o.spec?.scaleTargetRef?.name),
  );
  for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
    const replicas = deployment.spec?.replicas ?? 1;
    if (replicas <= 1 && !hpaTargets.has(deployment.metadata.name)) continue;
    const labels = deployment.spec?.template?.metadata?.labels ?? {};
    const covered = pdbs.some((pdb) => {
      const match = pdb.spec?.selector?.matchLabels ?? {};
      return (
        Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => labels[k] === v)
      );
    });
    if (!covered)
      problems.push(
        `Deployment/${deployment.metadata.name}: ${replicas} replicas but no PodDisruptionBudget`,
      );
  }
  // Default deny: a policy selecting every pod for both directions.
  const denyAll = objects.some(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      Object.keys(o.spec?.podSelector ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((t) => (o.spec?.policyTypes ?? []).includes(t)) &&
      !o.spec?.ingress &&
      !o.spec?.egress,
  );
  if (objects.some((o) => WORKLOADS.has(o.kind)) && !denyAll)
    problems.push('no default-deny NetworkPolicy');
  return problems;
}
