package io.pangolin.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

/** Bar chart of the Pangolin / JdbcCatalog latency ratios (median and p95) per metric, with parity at 1. */
public final class RatioChart {

  private RatioChart() {}

  public static void write(Results results, Path png) throws IOException {
    List<String> labels = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    List<Double> p95s = new ArrayList<>();
    for (Metric m : Metric.values()) {
      double[] ratio = results.ratio(m);
      if (ratio != null) {
        labels.add(m.shortLabel(results.config()));
        medians.add(finite(ratio[0]));
        p95s.add(finite(ratio[1]));
      }
    }
    CategoryChart chart = new CategoryChartBuilder()
        .width(1200)
        .height(650)
        .title("Pangolin / JdbcCatalog latency (below the dashed line at 1 = Pangolin faster)")
        .yAxisTitle("ratio")
        .build();
    // Below the plot, where it can never cover a bar.
    chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(LegendLayout.Horizontal);
    chart.getStyler().setXAxisLabelRotation(30);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setDecimalPattern("0.00");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.addSeries("median", labels, medians);
    chart.addSeries("p95", labels, p95s);
    // Parity as a horizontal rule rather than a third series, which would take a slot in every bar group.
    chart.getStyler().setAnnotationLineColor(Color.DARK_GRAY);
    chart.getStyler().setAnnotationLineStroke(
        new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    chart.addAnnotation(new AnnotationLine(1.0, false, false));
    String file = png.toString();
    BitmapEncoder.saveBitmap(chart, file.endsWith(".png") ? file.substring(0, file.length() - 4) : file,
        BitmapFormat.PNG);
  }

  // A missing measurement shows as no bar rather than breaking the chart.
  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0.0;
  }
}
