package dev.millwright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the CLI orders names and says what time is left. */
class OutputOrderTest {
    @Test
    void namesSortAsPeopleReadThem() {
        List<String> names = new ArrayList<>(List.of("z10", "z2", "r1-u10", "r1-u09", "r1-u1", "z1", "z01b", "a", "z1a", "r10-u1"));
        names.sort(Output::naturalOrder);
        assertThat(names).containsExactly("a", "r1-u1", "r1-u09", "r1-u10", "r10-u1", "z1", "z1a", "z01b", "z2", "z10");
    }

    @Test
    void whatIsLeftFitsOnAProgressBarsLine() {
        assertThat(DockCommand.left("PT2H13M20S")).isEqualTo("2h13m");
        assertThat(DockCommand.left("PT26H5M")).isEqualTo("26h05m");
        assertThat(DockCommand.left("PT45M59S")).isEqualTo("45m");
        assertThat(DockCommand.left("PT30S")).isEqualTo("30s");
        assertThat(DockCommand.left("soon")).isEqualTo("soon");
    }
}
