/**
 * Millwright's decisions as the Kubernetes objects a real cluster would take: a workload's pods with their GPUs
 * and placement ({@link dev.millwright.infra.kubernetes.WorkloadManifests}), a stack template's GPU Operator
 * layers ({@link dev.millwright.infra.kubernetes.StackManifests}) and an environment's GPU quota as Kueue queues
 * ({@link dev.millwright.infra.kubernetes.QuotaManifests}), printed by
 * {@link dev.millwright.infra.kubernetes.Manifests#toYaml}.
 *
 * <p>Everything here is a pure function of its arguments: no I/O, no cluster access. Objects are fabric8 model
 * objects; custom resources are {@code GenericKubernetesResource}s whose pod parts are built with fabric8's typed
 * builders and converted to maps, so they stay well-formed. The tests check each custom resource against its
 * project's published CRD schema with unknown fields rejected.
 */
package dev.millwright.infra.kubernetes;
