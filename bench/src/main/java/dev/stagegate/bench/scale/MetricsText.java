package dev.stagegate.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The few things the benchmark reads from Prometheus text exposition: samples of a metric, with labels. */
final class MetricsText {
  record Sample(String name, Map<String, String> labels, double value) {
  }

  private MetricsText() {}

  static List<Sample> parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      String name;
      Map<String, String> labels = new TreeMap<>();
      if (brace >= 0 && brace < space) {
        name = line.substring(0, brace);
        int close = line.lastIndexOf('}');
        parseLabels(line.substring(brace + 1, close), labels);
      } else {
        name = line.substring(0, line.indexOf(' '));
      }
      try {
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
      } catch (NumberFormatException e) {
        // a timestamp or exemplar we do not need
      }
    }
    return samples;
  }

  private static void parseLabels(String text, Map<String, String> labels) {
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      String key = text.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // after ="
      while (j < text.length() && text.charAt(j) != '"') {
        if (text.charAt(j) == '\\' && j + 1 < text.length()) {
          j++;
        }
        value.append(text.charAt(j));
        j++;
      }
      labels.put(key, value.toString());
      i = j + 2; // after ",
    }
  }

  static double sum(List<Sample> samples, String name) {
    return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
  }
}
