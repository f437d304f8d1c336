package io.github.gan4j.tf;

import io.github.gan4j.recipe.ClusterSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * This process's TensorFlow gRPC server (one per process, started on first use and never
 * stopped: TensorFlow 2.18 cannot stop a started server, "Clean shutdown is not currently
 * implemented") and sessions that run on it.
 *
 * <p>TensorFlow Java 1.1 has no public way to give a session a target: its public constructors
 * make in-process sessions. The C API can ({@code TF_SetTarget} on {@code TF_SessionOptions},
 * public in {@code org.tensorflow.internal.c_api}), and {@code Session} has a package-private
 * constructor that wraps a native session, {@code Session(Graph, TF_Session)}; the graph's
 * native handle is the private field {@code Graph.nativeHandle}. Both are reached by reflection
 * ({@link #open}): on the class path this needs nothing; on the module path the JVM needs
 * {@code --add-opens tensorflow/org.tensorflow=io.github.gan4j}, which the error message says.
 * gan-core's {@code ClusterSessionGuardTest} fails when a TensorFlow Java upgrade removes either.
 * (A helper class inside package {@code org.tensorflow} would need no reflection, but would
 * split that package between gan4j's module and TensorFlow's, which the module system refuses.)
 */
final class ClusterSession {
  private static Server server;
  private static ServerDef serverDef;

  private ClusterSession() {}

  /** The job name of every task. */
  static final String JOB = "worker";

  /** The device name prefix of task {@code task}. */
  static String device(int task) {
    return "/job:" + JOB + "/replica:0/task:" + task;
  }

  /**
   * {@code base} plus what collectives across processes need: worker 0 as the group leader, the
   * process-wide thread pools, and a device filter that keeps the session to this task's devices (the others are reached by the
   * collectives only).
   */
  static ConfigProto config(ConfigProto base, ClusterSpec cluster) {
    return base.toBuilder()
        // a distributed session refuses pools of its own; the server's devices size theirs from
        // its default session config, which is this one
        .setUsePerSessionThreads(false)
        .setExperimental(base.getExperimental().toBuilder().setCollectiveGroupLeader(device(0)))
        .clearDeviceFilters()
        .addDeviceFilters("/job:" + JOB + "/task:" + cluster.task())
        .build();
  }

  /**
   * Starts this process's server for {@code cluster} (once per process) and opens a session on
   * it for {@code graph}, with every variable initialized.
   *
   * @throws IllegalStateException if this process already serves another cluster or task, the
   *     port cannot be bound, or TensorFlow Java's internals differ from 1.1's
   */
  static Session open(Graph graph, ClusterSpec cluster, ConfigProto base) {
    ConfigProto config = config(base, cluster);
    String target = start(cluster, config);
    Session session = open(graph, target, config);
    try {
      session.initialize();
    } catch (RuntimeException | Error e) {
      session.close();   // else the graph cannot close: the session holds a reference to it
      throw e;
    }
    return session;
  }

  private static synchronized String start(ClusterSpec cluster, ConfigProto config) {
    JobDef.Builder job = JobDef.newBuilder().setName(JOB);
    for (int i = 0; i < cluster.size(); i++) {
      job.putTasks(i, cluster.workers().get(i));
    }
    ServerDef def = ServerDef.newBuilder().setCluster(ClusterDef.newBuilder().addJob(job)).setJobName(JOB)
        .setTaskIndex(cluster.task()).setProtocol("grpc").setDefaultSessionConfig(config).build();
    if (server == null) {
      try {
        Server s = new Server(def);
        s.start();
        server = s;
        serverDef = def;
      } catch (TensorFlowException e) {
        throw new IllegalStateException("cannot start worker " + cluster.task() + "'s TensorFlow server on "
            + cluster.address() + " (is the port in use, or the host not this machine's?): " + e.getMessage(), e);
      }
    } else if (!serverDef.getCluster().equals(def.getCluster()) || serverDef.getTaskIndex() != def.getTaskIndex()) {
      throw new IllegalStateException("this process already serves worker " + serverDef.getTaskIndex() + " of "
          + serverDef.getCluster().getJob(0).getTasksMap() + "; TensorFlow cannot stop a server, so a process takes"
          + " part in one cluster as one worker only");
    }
    return "grpc://" + cluster.address();
  }

  /** A session on {@code target} for {@code graph}; its variables are not initialized. */
  static Session open(Graph graph, String target, ConfigProto config) {
    TF_Graph handle;
    Constructor<Session> wrap;
    try {
      Field f = Graph.class.getDeclaredField("nativeHandle");
      f.setAccessible(true);
      handle = (TF_Graph) f.get(graph);
      wrap = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      wrap.setAccessible(true);
    } catch (NoSuchFieldException | NoSuchMethodException | ClassCastException e) {
      throw new IllegalStateException("this TensorFlow Java (" + Session.class.getPackage().getImplementationVersion()
          + ") lacks what gan4j's distributed training uses, Graph.nativeHandle (a TF_Graph) and the constructor"
          + " Session(Graph, TF_Session) of TensorFlow Java 1.1.0; use TensorFlow Java 1.1.0", e);
    } catch (InaccessibleObjectException | IllegalAccessException e) {
      throw new IllegalStateException("distributed training opens TensorFlow sessions on a gRPC target through"
          + " org.tensorflow internals; on the module path start the JVM with"
          + " --add-opens tensorflow/org.tensorflow=io.github.gan4j", e);
    }
    if (handle == null || handle.isNull()) {
      throw new IllegalStateException("the graph is closed");
    }
    TF_Session native_;
    // as Session's own allocation: everything but the session is freed with the scope
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      tensorflow.TF_SetTarget(options, target);
      BytePointer bytes = new BytePointer(config.toByteArray());
      tensorflow.TF_SetConfig(options, bytes, bytes.capacity(), status);
      status.throwExceptionIfNotOK();
      TF_Session created = TF_Session.newSession(handle, options, status);
      status.throwExceptionIfNotOK();
      native_ = (TF_Session) created.retainReference();
    }
    try {
      return wrap.newInstance(graph, native_);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot wrap the native session", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot wrap the native session", e.getCause());
    }
  }
}
