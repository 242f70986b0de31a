package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the job controller and the Job's pod for {@code batch/v1} Jobs: each unfinished, unsuspended Job is handed
 * once to a {@link JobHandler} on a small thread pool, and its status is then written as the job controller would
 * (first running, then Complete or Failed with the conditions kube-apiserver 1.31+ requires).
 *
 * <p>"Once" is per Job uid: watches replay every object as ADDED on (re)connect and deliver an update for each
 * status write, and an operator that tests exactly-once behaviour must not see its Job run twice because of that.
 * A Job deleted and created again under the same name has a new uid and runs again, as it would in a cluster.
 */
public final class FakeJobRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeJobRunner.class);

  private final KubernetesClient client;
  private final String namespace;
  private final JobHandler handler;
  private final int threads;
  private final Clock clock;

  private final Set<String> claimedUids = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> runsByName = new ConcurrentHashMap<>();
  private final AtomicInteger finished = new AtomicInteger();
  private volatile ExecutorService pods;
  private volatile SharedIndexInformer<Job> informer;

  private FakeJobRunner(Builder b) {
    this.client = b.client;
    this.namespace = b.namespace;
    this.handler = b.handler;
    this.threads = b.threads;
    this.clock = b.clock;
  }

  public static Builder builder(KubernetesClient client, JobHandler handler) {
    return new Builder(client, handler);
  }

  /** Starts watching Jobs and returns once the existing ones are listed (and handed out if unfinished). */
  public synchronized FakeJobRunner start() {
    if (pods != null) {
      throw new IllegalStateException("FakeJobRunner already started");
    }
    pods = Executors.newFixedThreadPool(threads, Threads.daemon("fake-job-pod"));
    var jobs = client.batch().v1().jobs();
    informer = (namespace == null ? jobs.inAnyNamespace() : jobs.inNamespace(namespace)).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        maybeRun(job);
      }

      @Override
      public void onUpdate(Job before, Job after) {
        maybeRun(after);
      }

      @Override
      public void onDelete(Job job, boolean finalStateUnknown) {
        // A deleted Job's pod would be killed; a handler already running simply finds nothing to write to.
      }
    });
    informer.start().toCompletableFuture().join();
    log.info("FakeJobRunner watching Jobs in {}", namespace == null ? "all namespaces" : namespace);
    return this;
  }

  /** How many times a Job of this name was handed to the handler, over all namespaces and uids. */
  public int timesRun(String jobName) {
    AtomicInteger runs = runsByName.get(jobName);
    return runs == null ? 0 : runs.get();
  }

  /** Job name → times run, for assertions over everything that ran. */
  public Map<String, Integer> runCounts() {
    Map<String, Integer> counts = new TreeMap<>();
    runsByName.forEach((name, runs) -> counts.put(name, runs.get()));
    return counts;
  }

  /** Jobs whose terminal status has been written. */
  public int finishedCount() {
    return finished.get();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
    if (pods != null) {
      Threads.stop(pods);
      pods = null;
    }
  }

  private void maybeRun(Job job) {
    if (SimulatedJobStatus.isFinished(job) || Boolean.TRUE.equals(job.getSpec().getSuspend())
        || !claimedUids.add(job.getMetadata().getUid())) {
      return;
    }
    runsByName.computeIfAbsent(job.getMetadata().getName(), n -> new AtomicInteger()).incrementAndGet();
    ExecutorService executor = pods;
    try {
      if (executor == null) {
        throw new RejectedExecutionException("closed");
      }
      executor.execute(() -> runPod(job));
    } catch (RejectedExecutionException closing) {
      log.debug("FakeJobRunner closing; Job {} not run", job.getMetadata().getName());
    }
  }

  private void runPod(Job job) {
    String name = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    try {
      writeStatus(job, latest -> SimulatedJobStatus.running(latest, clock.instant()));
      JobOutcome outcome = outcomeOf(job);
      log.info("Job {} {}", name, outcome.succeeded() ? "succeeded" : "failed");
      writeStatus(job, latest -> SimulatedJobStatus.finished(latest, outcome, clock.instant()));
      finished.incrementAndGet();
    } catch (RuntimeException e) {
      log.warn("Could not write status of Job {}: {}", name, e.toString());
    }
  }

  private JobOutcome outcomeOf(Job job) {
    try {
      Map<String, String> env = JobEnvironment.resolve(client, job);
      if (SimulatedJobStatus.indexed(job)) {
        return indexed(job, env);
      }
      JobOutcome outcome = handler.run(job, env);
      return outcome != null ? outcome : JobOutcome.failure("handler returned no outcome");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JobOutcome.failure("pod killed");
    } catch (Exception e) {
      return JobOutcome.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * An Indexed Job: one pod per completion index, {@code parallelism} at a time, each seeing JOB_COMPLETION_INDEX as
   * Kubernetes sets it. The Job succeeds when every index did; the first failed index fails it.
   */
  private JobOutcome indexed(Job job, Map<String, String> env) throws Exception {
    int completions = job.getSpec().getCompletions();
    int parallel = Math.max(1, Math.min(completions, job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism()));
    ExecutorService indexPods = Executors.newFixedThreadPool(parallel, Threads.daemon("fake-job-index"));
    try {
      List<java.util.concurrent.Future<JobOutcome>> running = new ArrayList<>();
      for (int i = 0; i < completions; i++) {
        Map<String, String> podEnv = new java.util.LinkedHashMap<>(env);
        podEnv.put(JOB_COMPLETION_INDEX, Integer.toString(i));
        running.add(indexPods.submit(() -> {
          try {
            JobOutcome outcome = handler.run(job, Map.copyOf(podEnv));
            return outcome != null ? outcome : JobOutcome.failure("handler returned no outcome");
          } catch (InterruptedException e) {
            throw e;
          } catch (Exception e) {
            return JobOutcome.failure(e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }));
      }
      List<String> messages = new ArrayList<>();
      for (int i = 0; i < completions; i++) {
        JobOutcome outcome = running.get(i).get();
        if (!outcome.succeeded()) {
          return JobOutcome.failure("index " + i + ": " + outcome.message());
        }
        messages.add(i + ": " + outcome.message());
      }
      return JobOutcome.success(String.join("; ", messages));
    } finally {
      Threads.stop(indexPods);
    }
  }

  /** The variable Kubernetes gives each pod of an Indexed Job. */
  public static final String JOB_COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

  private void writeStatus(Job job, Function<Job, JobStatus> nextStatus) {
    UnaryOperator<Job> withNext = latest -> {
      if (SimulatedJobStatus.isFinished(latest)) {
        return null;
      }
      latest.setStatus(nextStatus.apply(latest));
      return latest;
    };
    StatusWrites.update(client, Job.class, job.getMetadata().getNamespace(), job.getMetadata().getName(),
        job.getMetadata().getUid(), withNext);
  }

  /** Options of a {@link FakeJobRunner}. */
  public static final class Builder {
    private final KubernetesClient client;
    private final JobHandler handler;
    private String namespace;
    private int threads = 2;
    private Clock clock = Clock.systemUTC();

    private Builder(KubernetesClient client, JobHandler handler) {
      this.client = Objects.requireNonNull(client, "client");
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Watch one namespace only; by default all namespaces are watched. */
    public Builder inNamespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** How many Jobs may run at once (default 2, the cores this project's machines have). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1");
      }
      this.threads = threads;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public FakeJobRunner build() {
      return new FakeJobRunner(this);
    }
  }
}
