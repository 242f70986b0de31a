package dev.stagegate.testing;

import dev.stagegate.kube.CrashPoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The restart-injection hook of one operator instance. Recording, it notes every distinct transition a run
 * reaches (point + resource + status digest, in order). Armed, it kills the instance at the first arrival at
 * one of them: a {@link Crash} (an Error, which neither our code nor JOSDK catches) ends that turn there, and
 * from then on every turn of the instance dies at its first point, so nothing more is committed or done, as
 * if the process were gone. {@code onCrash} then starts a fresh instance.
 */
public final class CrashSwitch implements CrashPoints {
  private final String target;
  private final Function<Object, String> digest;
  private final Runnable onCrash;
  private final Set<String> reached = new LinkedHashSet<>();
  private volatile boolean dead;

  private CrashSwitch(String target, Function<Object, String> digest, Runnable onCrash) {
    this.target = target;
    this.digest = digest;
    this.onCrash = onCrash;
  }

  /** Records the transitions of an uninterrupted run. */
  public static CrashSwitch recording(Function<Object, String> digest) {
    return new CrashSwitch(null, digest, () -> { });
  }

  /** Kills the instance at {@code transition} (one of {@link #reached()} of a recorded run). */
  public static CrashSwitch armed(String transition, Function<Object, String> digest, Runnable onCrash) {
    return new CrashSwitch(transition, digest, onCrash);
  }

  @Override
  public void reached(Point point, HasMetadata resource, Object decided) {
    if (dead) {
      throw new Crash("instance is dead (" + point + ")");
    }
    String transition = point + " " + resource.getKind() + "/" + resource.getMetadata().getName() + " "
        + digest.apply(decided);
    boolean first;
    synchronized (reached) {
      first = reached.add(transition);
    }
    if (first && transition.equals(target)) {
      dead = true;
      Thread restart = new Thread(onCrash, "restart-after-crash");
      restart.setDaemon(true);
      restart.start();
      throw new Crash(transition);
    }
  }

  public boolean crashed() {
    return dead;
  }

  public List<String> reached() {
    synchronized (reached) {
      return new ArrayList<>(reached);
    }
  }

  /** The process died here: not an Exception, so no handler, retry or status update runs. */
  public static final class Crash extends Error {
    Crash(String where) {
      super("injected crash at " + where, null, false, false);
    }
  }
}
