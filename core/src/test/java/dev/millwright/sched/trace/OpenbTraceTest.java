package dev.millwright.sched.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenbTraceTest {
    private static final String NODES = """
            sn,cpu_milli,memory_mib,gpu,model
            node-0,32000,262144,0,
            node-1,96000,393216,8,G2
            """;
    private static final String PODS = """
            name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
            pod-0,12000,16384,1,1000,,LS,Running,0,12537496,0
            pod-1,6000,12288,1,460,V100M16|V100M32,LS,Running,427061,12902960,427061
            pod-2,12500,8192,0,0,,BE,Pending,1558381,1558400,
            """;

    private static List<OpenbNode> nodes(String csv) {
        return OpenbTrace.readNodes("nodes.csv", new StringReader(csv));
    }

    private static List<OpenbPod> pods(String csv) {
        return OpenbTrace.readPods("pods.csv", new StringReader(csv));
    }

    @Test
    @DisplayName("reads nodes and pods by column name, with lines, models and GPU shares")
    void readsTheFormat() {
        List<OpenbNode> n = nodes(NODES);
        assertThat(n).containsExactly(new OpenbNode("node-0", 32000, 262144, 0, "", 2), new OpenbNode("node-1", 96000, 393216, 8, "G2", 3));
        List<OpenbPod> p = pods(PODS);
        assertThat(p).hasSize(3);
        assertThat(p.get(1)).isEqualTo(new OpenbPod("pod-1", 6000, 12288, 1, 460, List.of("V100M16", "V100M32"), 3));
        assertThat(p.get(1).gpuRequestMilli()).isEqualTo(460);
        assertThat(p.get(2).numGpu()).isZero();
        assertThat(p.get(0).toPacking().gpuModels()).isEmpty();
    }

    @Test
    @DisplayName("columns may come in any order, with extra ones, quoted cells, CRLF line ends and blank lines")
    void toleratesLayout() {
        String csv = "\uFEFFgpu_spec,extra,gpu_milli,num_gpu,memory_mib,cpu_milli,name\r\n"
                + "\"T4|A10\",x,500,1,1024,2000,\"a,b\"\r\n\r\n"
                + "  ,y,1000,2,2048,4000,c\r\n";
        List<OpenbPod> p = pods(csv);
        assertThat(p).extracting(OpenbPod::name).containsExactly("a,b", "c");
        assertThat(p.get(0).gpuModels()).containsExactly("T4", "A10");
        assertThat(p.get(0).line()).isEqualTo(2);
        assertThat(p.get(1).line()).isEqualTo(4);
        assertThat(p.get(1).gpuRequestMilli()).isEqualTo(2000);
    }

    @Test
    @DisplayName("a gpu_milli on a pod without GPUs is ignored, as the FGD simulator's converter does; 12.0 reads as 12")
    void lenientWhereTheReferenceIs() {
        List<OpenbPod> p = pods("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\nc,12000.0,1024,0,1000,\n");
        assertThat(p.get(0).gpuMilli()).isZero();
        assertThat(p.get(0).cpuMilli()).isEqualTo(12000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            missing column                | name,cpu_milli,memory_mib,num_gpu,gpu_spec\\np,1,1,1,        | pods.csv line 1, field gpu_milli: missing column
            negative number               | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,-5,1,1,1000, | pods.csv line 2, field cpu_milli: negative value -5
            not a number                  | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,1,lots,1,1000, | pods.csv line 2, field memory_mib: "lots" is not a number
            fraction                      | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,1,1,1.5,1000, | pods.csv line 2, field num_gpu: "1.5" is not a whole number
            share above one GPU           | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,1,1,1,1500,   | pods.csv line 2, field gpu_milli: value 1500 must be 1..1000
            GPUs without a share          | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,1,1,2,0,      | pods.csv line 2, field gpu_milli: value 0 must be 1..1000
            empty cell                    | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,,1,1,1000,    | pods.csv line 2, field cpu_milli: missing value
            short row                     | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,1,1          | pods.csv line 2, field num_gpu: missing value
            long row                      | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\np,1,1,1,1000,,7 | pods.csv line 2: the row has 7 cells
            missing name                  | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\n,1,1,1,1000,    | pods.csv line 2, field name: missing pod name
            header only                   | name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\\n               | pods.csv: no pods
            empty file                    | ''                                                                    | pods.csv: the file is empty
            """)
    void badPodListsNameFileLineAndField(String what, String csv, String message) {
        assertThatThrownBy(() -> pods(csv.replace("\\n", "\n")))
                .as(what).isInstanceOf(TraceException.class).hasMessageStartingWith(message);
    }

    @Test
    @DisplayName("bad node lists: a missing column, a negative GPU count, a duplicate name")
    void badNodeLists() {
        assertThatThrownBy(() -> nodes("sn,cpu_milli,memory_mib,model\nn,1,1,T4\n"))
                .isInstanceOf(TraceException.class).hasMessageStartingWith("nodes.csv line 1, field gpu: missing column");
        assertThatThrownBy(() -> nodes("sn,cpu_milli,memory_mib,gpu,model\nn,1,1,-8,T4\n"))
                .hasMessage("nodes.csv line 2, field gpu: negative value -8");
        assertThatThrownBy(() -> nodes("sn,cpu_milli,memory_mib,gpu,model\nn,1,1,8,T4\nn,1,1,8,T4\n"))
                .hasMessage("nodes.csv line 3, field sn: node n is listed twice (first on line 2)");
        TraceException e = org.assertj.core.api.Assertions.catchThrowableOfType(TraceException.class, () -> nodes("sn,cpu_milli,memory_mib,gpu,model\nn,1,1,99999,T4\n"));
        assertThat(e.file()).isEqualTo("nodes.csv");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.field()).isEqualTo("gpu");
    }

    @Test
    @DisplayName("a pod asking for more GPUs than the largest node has is refused; an unknown GPU model is not")
    void podsMustFitTheLargestNode() {
        List<OpenbNode> n = nodes(NODES);
        List<OpenbPod> ok = pods("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\na,1,1,8,1000,\nb,1,1,1,1000,A100\n");
        OpenbTrace.checkPodsFit(n, "pods.csv", ok);
        List<OpenbPod> tooBig = pods("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec\na,1,1,8,1000,\nbig,1,1,16,1000,\n");
        assertThatThrownBy(() -> OpenbTrace.checkPodsFit(n, "pods.csv", tooBig))
                .isInstanceOf(TraceException.class)
                .hasMessage("pods.csv line 3, field num_gpu: pod big asks for 16 GPUs but the largest node has 8");
    }
}
