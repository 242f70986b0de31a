package dev.stagegate.cli;

/** The detail `kubectl stagegate status` prints for one Release or DataMigration. */
final class StatusView {
  private StatusView() {}

  static String render(Rollout r) {
    StringBuilder s = new StringBuilder();
    s.append(r.kind().kind).append(' ').append(r.namespace()).append('/').append(r.name()).append('\n');
    line(s, "Phase:", r.phaseText());
    if (r.stale()) {
      line(s, "", "(the status is from an older spec; the operator has not yet observed generation "
          + r.generation() + ")");
    }
    if (r.stage() != null) {
      String share = r.kind() == Kind.RELEASE ? ", weight " + r.weight() : ", " + r.weight() + " of the rows";
      line(s, "Stage:", r.stage() + (r.weight() == null ? "" : share));
    }
    r.details().forEach(d -> line(s, d.getKey(), d.getValue()));
    if (!r.checks().isEmpty()) {
      s.append("  Checks:\n");
      Table checks = new Table("NAME", "RESULT", "VALUE", "");
      r.checks().forEach(c -> checks.row(c.name(), c.result(), c.value(), c.note()));
      // indent the check table under its heading; its header row only labels the columns
      checks.render().lines().skip(1).forEach(l -> s.append("    ").append(l).append('\n'));
    }
    if (r.message() != null && !r.message().isEmpty()) {
      line(s, "Message:", r.message());
    }
    if (r.action() != null) {
      line(s, "Pending:", "action `" + r.action() + "` (not yet taken up by the operator)");
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String label, String value) {
    s.append("  ").append(label).append(" ".repeat(Math.max(1, 13 - label.length()))).append(value).append('\n');
  }
}
