package dev.millwright.cli;

import dev.millwright.sched.packing.PackingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The allocation curves of a packing replay as a PNG: GPU allocation against arrived GPU demand, one line a policy. */
final class AllocationPlot {
    private AllocationPlot() {
    }

    static void write(Path png, List<PackingResult> results, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(640).title(title)
                .xAxisTitle("arrived GPU demand, % of capacity").yAxisTitle("GPU allocation, % of capacity").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(130.0).setYAxisMin(0.0).setYAxisMax(100.0);
        double[] x = IntStream.rangeClosed(0, 130).asDoubleStream().toArray();
        for (PackingResult r : results) {
            double[] y = r.allocationByArrivedPercent().stream().mapToDouble(Double::doubleValue).toArray();
            chart.addSeries(r.policy(), x, y).setMarker(SeriesMarkers.NONE);
        }
        String file = png.toString();
        BitmapEncoder.saveBitmap(chart, file.endsWith(".png") ? file.substring(0, file.length() - 4) : file, BitmapEncoder.BitmapFormat.PNG);
    }
}
