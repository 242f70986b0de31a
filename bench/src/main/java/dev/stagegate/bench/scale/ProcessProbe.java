package dev.stagegate.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Linux and the JDK say about one JVM: peak RSS, CPU seconds, and heap in use right after a full GC. */
final class ProcessProbe {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux x86-64

  private ProcessProbe() {}

  /** VmHWM: the resident set's high-water mark, in bytes. */
  static long peakRss(long pid) {
    return statusField(pid, "VmHWM:");
  }

  /** VmRSS: the resident set now, in bytes. */
  static long rss(long pid) {
    return statusField(pid, "VmRSS:");
  }

  private static long statusField(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** utime + stime of the process, in seconds. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name (which may contain spaces) start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Runs a full GC in the JVM (jcmd GC.run) and returns the heap then in use, in bytes; -1 when jcmd fails. */
  static long heapAfterGc(long pid) {
    if (jcmd(pid, "GC.run") == null) {
      return -1;
    }
    String info = jcmd(pid, "GC.heap_info");
    if (info == null) {
      return -1;
    }
    Matcher m = USED.matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  private static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** 1-minute load average, for the note beside every figure (the machine is shared). */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
