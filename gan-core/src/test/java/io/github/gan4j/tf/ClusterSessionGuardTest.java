package io.github.gan4j.tf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.gan4j.recipe.ClusterSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Guards what {@link ClusterSession} takes from TensorFlow Java 1.1's internals (nothing public
 * sets a session's target): if an upgrade removes or changes them, this fails, naming which. It
 * also opens a real session on a one-worker cluster and runs the collectives the training graph
 * uses. Runs on the class path, as gan4j's users do; on the module path the JVM needs
 * {@code --add-opens tensorflow/org.tensorflow=io.github.gan4j} (README).
 */
class ClusterSessionGuardTest {

  @Test
  void tensorFlowJava_stillHasTheInternalsClusterSessionUses() throws Exception {
    Field handle = Graph.class.getDeclaredField("nativeHandle");
    assertThat(handle.getType()).as("Graph.nativeHandle").isEqualTo(TF_Graph.class);
    assertThat(Modifier.isStatic(handle.getModifiers())).isFalse();
    assertThat(Session.class.getDeclaredConstructor(Graph.class, TF_Session.class)).as("Session(Graph, TF_Session)")
        .isNotNull();
    assertThat(org.tensorflow.internal.c_api.global.tensorflow.class.getMethod("TF_SetTarget",
        org.tensorflow.internal.c_api.TF_SessionOptions.class, String.class)).isNotNull();
  }

  @Test
  void sessionOnAOneWorkerCluster_runsAllReduceAndGather() {
    ClusterSpec cluster = ClusterSpec.of(ClusterSpec.loopback(1), 0);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Replica replica = Replica.of(cluster, g, 4);
      Operand<TFloat32> x = tf.constant(new float[] {1f, 2f, 3f});
      List<Operand<TFloat32>> mean = replica.mean(tf, List.of(x, tf.constant(5f)));
      Operand<TInt64> gathered = replica.gather(tf, tf.constant(new long[] {7L, 8L}), 10f);
      try (Session s = ClusterSession.open(g, cluster, ConfigProto.getDefaultInstance());
          Result r = s.runner().fetch(mean.get(0)).fetch(mean.get(1)).fetch(gathered).run()) {
        TFloat32 m = (TFloat32) r.get(0);
        assertThat(new float[] {m.getFloat(0), m.getFloat(1), m.getFloat(2)}).containsExactly(1f, 2f, 3f);
        assertThat(((TFloat32) r.get(1)).getFloat()).isEqualTo(5f);
        TInt64 all = (TInt64) r.get(2);
        assertThat(new long[] {all.getLong(0), all.getLong(1)}).containsExactly(7L, 8L);
      }
    }
  }
}
