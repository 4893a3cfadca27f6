package dev.millwright.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubernetesSkewTest {
    private static final KubernetesSkew POLICY = KubernetesSkew.policy();

    @Test
    void kubeletsMayTrailTheApiServerByThreeMinorsButNeverLeadIt() {
        assertThat(POLICY.violation("kubelet", Version.of("1.30.14"), Version.of("1.33.13"))).isEmpty();
        assertThat(POLICY.violation("kubelet", Version.of("1.29.15"), Version.of("1.33.13"))).hasValueSatisfying(m ->
                assertThat(m).startsWith("kubelet 1.29.15 may be at most 3 minors older than and not newer than kube-apiserver 1.33.13")
                        .contains("version-skew-policy.md"));
        assertThat(POLICY.violation("kubelet", Version.of("1.34.1"), Version.of("1.33.13"))).isPresent();
        assertThat(POLICY.violation("kubelet", Version.of("1.22.0"), Version.of("1.24.0"))).isEmpty();
        assertThat(POLICY.violation("kubelet", Version.of("1.21.0"), Version.of("1.24.0"))).as("before 1.25 two minors").isPresent();
    }

    @Test
    void controlPlaneComponentsStayWithinOneMinorAndKubectlEitherSide() {
        assertThat(POLICY.violation("kube-scheduler", Version.of("1.32.0"), Version.of("1.33.0"))).isEmpty();
        assertThat(POLICY.violation("kube-scheduler", Version.of("1.34.0"), Version.of("1.33.0"))).isPresent();
        assertThat(POLICY.violation("kubectl", Version.of("1.34.0"), Version.of("1.33.0"))).isEmpty();
        assertThat(POLICY.violation("kube-apiserver", Version.of("1.31.0"), Version.of("1.33.0"))).isPresent();
    }

    @Test
    void anUpgradeGoesOneMinorAtATime() {
        assertThat(KubernetesSkew.upgradePath(Version.of("1.31.14"), Version.of("1.34.11"))).containsExactly("1.32", "1.33", "1.34");
        assertThat(KubernetesSkew.upgradePath(Version.of("1.33.4"), Version.of("1.33.13"))).isEmpty();
    }
}
