package io.github.gan4j.tests;

import io.github.gan4j.Gan;
import io.github.gan4j.data.Dataset;
import io.github.gan4j.data.Datasets;
import io.github.gan4j.examples.ReferenceModels;
import io.github.gan4j.recipe.ClusterSpec;
import io.github.gan4j.train.Trainer;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TFloat32;

/**
 * Measurements for BENCHMARKS.md (not a test): run one process per worker, each with
 * {@code TF_CONFIG} set (e.g. with {@code LocalWorkers}), or {@code --single}.
 *
 * <pre>
 * raw [floats ...]           time of one all-reduce (mean) of each size, median of 30 after 5 warm-ups
 * train cifar10|dcgan64 N    N steps of the reference DCGAN (32 per worker), plain and profiled:
 *                            step time and the time of the CollectiveReduceV2 kernels per step
 * </pre>
 */
public final class AllReduceBench {
  private AllReduceBench() {}

  public static void main(String[] args) throws Exception {
    ClusterSpec cluster = ClusterSpec.fromEnvironment().orElse(null);
    if (args[0].equals("raw")) {
      raw(cluster, Arrays.stream(args).skip(1).mapToLong(Long::parseLong).toArray());
    } else {
      train(cluster, args[1], Integer.parseInt(args[2]));
    }
    System.exit(0);
  }

  static Gan model(String name) {
    return name.equals("dcgan64") ? ReferenceModels.dcgan(64, 64, 3) : ReferenceModels.cifar10();
  }

  static void train(ClusterSpec cluster, String name, int steps) {
    Gan gan = model(name);
    int workers = cluster == null ? 1 : cluster.size();
    int h = gan.imageShape().dim(0);
    int n = 512;
    float[] px = new float[n * h * h * 3];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) (r.nextDouble() * 2 - 1);
    }
    Dataset data = Datasets.fromFloats(px, h, h, 3);
    Trainer.Builder b = Trainer.of(gan).batchSize(32 * workers).seed(1);
    if (cluster != null) {
      b.cluster(cluster);
    }
    try (Trainer t = b.build()) {
      for (int i = 0; i < 3; i++) {
        t.step(data);
      }
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        t.step(data);
      }
      double stepMs = (System.nanoTime() - start) / 1e6 / steps;
      double collectiveMs = 0;
      double allMs = 0;
      for (int i = 0; i < steps; i++) {
        Map<String, long[]> p = t.profileStep(data);
        for (Map.Entry<String, long[]> e : p.entrySet()) {
          if (e.getKey().startsWith("Collective")) {
            collectiveMs += e.getValue()[0] / 1e3;
          }
          allMs += e.getValue()[0] / 1e3;
        }
      }
      long g = 0;
      long d = 0;
      for (Map.Entry<String, float[]> e : t.variables().entrySet()) {
        g += e.getKey().startsWith("generator/") ? e.getValue().length : 0;
        d += e.getKey().startsWith("discriminator/") ? e.getValue().length : 0;
      }
      System.out.printf(Locale.ROOT, "RESULT model=%s workers=%d task=%d step_ms=%.1f collective_kernel_ms=%.1f"
          + " all_kernels_ms=%.1f generator_floats=%d discriminator_floats=%d%n", name, workers,
          cluster == null ? 0 : cluster.task(), stepMs, collectiveMs / steps, allMs / steps, g, d);
    }
  }

  /** All-reduce timings on a server and session of this probe's own (the TF Java internals ClusterSession uses). */
  static void raw(ClusterSpec cluster, long[] sizes) throws Exception {
    ConfigProto config = ConfigProto.newBuilder().setExperimental(ConfigProto.Experimental.newBuilder()
        .setCollectiveGroupLeader("/job:worker/replica:0/task:0")).addDeviceFilters("/job:worker/task:" + cluster.task())
        .build();
    JobDef.Builder job = JobDef.newBuilder().setName("worker");
    for (int i = 0; i < cluster.size(); i++) {
      job.putTasks(i, cluster.workers().get(i));
    }
    Server server = new Server(ServerDef.newBuilder().setCluster(ClusterDef.newBuilder().addJob(job))
        .setJobName("worker").setTaskIndex(cluster.task()).setProtocol("grpc").setDefaultSessionConfig(config).build());
    server.start();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> outs = new ArrayList<>();
      for (int i = 0; i < sizes.length; i++) {
        Operand<TFloat32> x = tf.fill(tf.constant(new long[] {sizes[i]}), tf.constant(1f + cluster.task()));
        Output<TFloat32> y = tf.scope().opBuilder("CollectiveReduceV2", "ar" + i).addInput(x.asOutput())
            .addInput(tf.constant(cluster.size()).asOutput()).addInput(tf.constant(1).asOutput())
            .addInput(tf.constant(i + 1).asOutput()).addInputList(new Output<?>[0]).setAttr("merge_op", "Add")
            .setAttr("final_op", "Div").setAttr("communication_hint", "auto").setAttr("timeout_seconds", 60f)
            .build().output(0);
        outs.add(tf.sum(y, tf.constant(0)));
      }
      try (Session s = session(g, "grpc://" + cluster.address(), config)) {
        for (int i = 0; i < sizes.length; i++) {
          double[] ms = new double[30];
          for (int rep = -5; rep < ms.length; rep++) {
            long start = System.nanoTime();
            s.runner().fetch(outs.get(i)).run().close();
            if (rep >= 0) {
              ms[rep] = (System.nanoTime() - start) / 1e6;
            }
          }
          Arrays.sort(ms);
          System.out.printf(Locale.ROOT, "RESULT raw floats=%d bytes=%d median_ms=%.3f min_ms=%.3f%n", sizes[i],
              sizes[i] * 4, ms[ms.length / 2], ms[0]);
        }
      }
    }
  }

  private static Session session(Graph g, String target, ConfigProto config) throws Exception {
    Field f = Graph.class.getDeclaredField("nativeHandle");
    f.setAccessible(true);
    TF_Status status = TF_Status.newStatus();
    TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
    tensorflow.TF_SetTarget(options, target);
    BytePointer bytes = new BytePointer(config.toByteArray());
    tensorflow.TF_SetConfig(options, bytes, bytes.capacity(), status);
    status.throwExceptionIfNotOK();
    TF_Session s = TF_Session.newSession((TF_Graph) f.get(g), options, status);
    status.throwExceptionIfNotOK();
    Constructor<Session> c = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
    c.setAccessible(true);
    return c.newInstance(g, (TF_Session) s.retainReference());
  }
}
