package dev.millwright.infra.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;

/** The shapes Kubernetes itself knows: deployment (with a Service) and statefulset (with a headless Service). */
final class CoreObjects {
    /** The per-replica volume of a statefulset, and where it is mounted (AppTemplates do not name a path yet). */
    static final String DATA_VOLUME = "data";
    static final String DATA_PATH = "/data";

    private CoreObjects() {
    }

    /** A Deployment, and a ClusterIP Service in front of it when the component has a port. */
    static List<HasMetadata> deployment(Target t) {
        Deployment d = new DeploymentBuilder().withMetadata(t.metadata())
                .withNewSpec().withReplicas(t.c().replicas())
                .withNewSelector().withMatchLabels(t.selector()).endSelector()
                .withTemplate(t.template(t.podSpec(t.container(t.c().name()))))
                .endSpec().build();
        List<HasMetadata> out = new ArrayList<>(List.of(d));
        if (t.c().port() != null) out.add(service(t, false));
        return out;
    }

    /**
     * A StatefulSet with a volume claim per replica when the component has storage, and the headless Service
     * that gives its pods stable names (a StatefulSet needs one, port or not).
     */
    static List<HasMetadata> statefulSet(Target t) {
        Container container = t.container(t.c().name());
        StatefulSetBuilder b = new StatefulSetBuilder().withMetadata(t.metadata())
                .withNewSpec().withReplicas(t.c().replicas()).withServiceName(t.name())
                .withNewSelector().withMatchLabels(t.selector()).endSelector()
                .endSpec();
        if (t.c().storage() != null) {
            container = new ContainerBuilder(container).addNewVolumeMount()
                    .withName(DATA_VOLUME).withMountPath(DATA_PATH).endVolumeMount().build();
            PersistentVolumeClaim claim = new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(DATA_VOLUME).withLabels(t.selector()).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity(t.c().storage())).endResources()
                    .endSpec().build();
            b.editSpec().withVolumeClaimTemplates(claim).endSpec();
        }
        StatefulSet s = b.editSpec().withTemplate(t.template(t.podSpec(container))).endSpec().build();
        return List.of(s, service(t, true));
    }

    private static Service service(Target t, boolean headless) {
        ServiceBuilder b = new ServiceBuilder().withMetadata(t.metadata())
                .withNewSpec().withType("ClusterIP").withSelector(t.selector()).endSpec();
        if (headless) b.editSpec().withClusterIP("None").endSpec();
        if (t.c().port() != null) {
            b.editSpec().addNewPort().withName("http").withPort(t.c().port())
                    .withNewTargetPort("http").withProtocol("TCP").endPort().endSpec();
        }
        return b.build();
    }
}
