package dev.millwright.control.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantitiesTest {
    @Test
    void cpuInCoresOrMillicores() {
        assertThat(Quantities.millicores("8")).isEqualTo(8000);
        assertThat(Quantities.millicores("0.5")).isEqualTo(500);
        assertThat(Quantities.millicores("250m")).isEqualTo(250);
        assertThat(Quantities.millicores(null)).isZero();
    }

    @Test
    void memoryInMebibytesRoundedUp() {
        assertThat(Quantities.mebibytes("64Gi")).isEqualTo(65536);
        assertThat(Quantities.mebibytes("512Mi")).isEqualTo(512);
        assertThat(Quantities.mebibytes("1Ki")).isEqualTo(1);
        assertThat(Quantities.mebibytes("2Ti")).isEqualTo(2 * 1024 * 1024);
        assertThat(Quantities.mebibytes("1048576")).isEqualTo(1);
    }
}
