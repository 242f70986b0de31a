package dev.stagegate.bench.decisions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small hand-written SVG scatter plot: linear x, log10 y, labelled points, one marker shape per series. Written
 * by hand rather than with a charting library because it is ~100 lines, needs no AWT or fonts on a headless
 * machine, and yields a deterministic, diffable file.
 */
final class SvgScatterPlot {

    record Point(String label, double x, double y) {
    }

    /** frontier: draw the series' Pareto front as a line and label only the points on it. */
    private record Series(String name, String shape, String colour, List<Point> points, boolean frontier) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 600;
    private static final int LEFT = 90;
    private static final int RIGHT = 260;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    SvgScatterPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** shape: "circle" or "square". */
    SvgScatterPlot series(String name, String shape, String colour, List<Point> points) {
        series.add(new Series(name, shape, colour, List.copyOf(points), false));
        return this;
    }

    /** A family of settings of one policy: all points drawn, its Pareto front joined by a line. */
    SvgScatterPlot curve(String name, String shape, String colour, List<Point> points) {
        series.add(new Series(name, shape, colour, List.copyOf(points), true));
        return this;
    }

    /**
     * Points no other point beats on both axes (lower x and lower y), in increasing x: the best trade-offs a
     * policy's settings offer.
     */
    static List<Point> paretoFront(List<Point> points) {
        List<Point> sorted = points.stream()
                .filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y()) && p.y() > 0)
                .sorted(java.util.Comparator.comparingDouble(Point::x).thenComparingDouble(Point::y))
                .toList();
        List<Point> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (Point p : sorted) {
            if (p.y() < best) {
                front.add(p);
                best = p.y();
            }
        }
        return front;
    }

    String render() {
        List<Point> all = series.stream().flatMap(s -> s.points().stream())
                .filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y()) && p.y() > 0).toList();
        double xMax = niceCeiling(all.stream().mapToDouble(Point::x).max().orElse(1) * 1.1);
        double yMinLog = Math.floor(Math.log10(all.stream().mapToDouble(Point::y).min().orElse(1)));
        double yMaxLog = Math.ceil(Math.log10(all.stream().mapToDouble(Point::y).max().orElse(10)));
        if (yMaxLog <= yMinLog) {
            yMaxLog = yMinLog + 1;
        }
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double finalYMinLog = yMinLog;
        double finalYMaxLog = yMaxLog;
        java.util.function.DoubleUnaryOperator sx = x -> LEFT + x / xMax * plotWidth;
        java.util.function.DoubleUnaryOperator sy = y -> TOP + plotHeight
                - (Math.log10(y) - finalYMinLog) / (finalYMaxLog - finalYMinLog) * plotHeight;

        StringBuilder svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(f("<text x=\"%d\" y=\"30\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
        // Grid and ticks.
        for (int i = 0; i <= 5; i++) {
            double x = xMax * i / 5;
            double px = sx.applyAsDouble(x);
            svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", px, TOP, px,
                    TOP + plotHeight));
            svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", px, TOP + plotHeight + 18,
                    trim(x)));
        }
        for (double e = yMinLog; e <= yMaxLog; e++) {
            double py = sy.applyAsDouble(Math.pow(10, e));
            svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, py,
                    LEFT + plotWidth, py));
            svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 8, py + 4,
                    trim(Math.pow(10, e))));
        }
        svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, TOP, plotWidth, plotHeight));
        svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotWidth / 2,
                HEIGHT - 25, escape(xLabel)));
        svg.append(f("<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 20 %.1f)\">%s</text>%n",
                TOP + plotHeight / 2, TOP + plotHeight / 2, escape(yLabel)));
        // Points, then labels nudged apart vertically so that neighbours stay readable, then the legend.
        List<double[]> labels = new ArrayList<>(); // {x, y, series index, point index}
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            List<Point> front = s.frontier() ? paretoFront(s.points()) : s.points();
            if (s.frontier() && front.size() > 1) {
                StringBuilder line = new StringBuilder();
                front.forEach(p -> line.append(f("%.1f,%.1f ", sx.applyAsDouble(p.x()), sy.applyAsDouble(p.y()))));
                svg.append(f("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n",
                        line.toString().trim(), s.colour()));
            }
            for (int pi = 0; pi < s.points().size(); pi++) {
                Point p = s.points().get(pi);
                if (!Double.isFinite(p.x()) || !Double.isFinite(p.y()) || p.y() <= 0) {
                    continue;
                }
                double px = sx.applyAsDouble(p.x());
                double py = sy.applyAsDouble(p.y());
                svg.append(marker(s, px, py));
                // Label only the front of a curve: a sweep has too many points to label them all.
                if (front.contains(p)) {
                    labels.add(new double[] {px + 7, py - 5, si, pi});
                }
            }
        }
        labels.sort(java.util.Comparator.comparingDouble(l -> l[1]));
        for (int i = 0; i < labels.size(); i++) {
            for (int j = 0; j < i; j++) {
                double[] a = labels.get(j);
                double[] b = labels.get(i);
                if (Math.abs(a[0] - b[0]) < 150 && b[1] - a[1] < 11) {
                    b[1] = a[1] + 11;
                }
            }
        }
        for (double[] l : labels) {
            Series s = series.get((int) l[2]);
            svg.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"%s\">%s</text>%n", l[0], l[1],
                    s.colour(), escape(s.points().get((int) l[3]).label())));
        }
        int legendY = TOP + 10;
        for (Series s : series) {
            svg.append(marker(s, WIDTH - RIGHT + 20, legendY));
            svg.append(f("<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 32, legendY + 4, escape(s.name())));
            legendY += 20;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static String marker(Series s, double x, double y) {
        if ("square".equals(s.shape())) {
            return f("<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"%s\"/>%n", x - 4.5, y - 4.5, s.colour());
        }
        return f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>%n", x, y, s.colour());
    }

    private static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.3g", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
