package io.github.gan4j.recipe;

import static io.github.gan4j.recipe.DiffAugment.Policy.COLOR;
import static io.github.gan4j.recipe.DiffAugment.Policy.CUTOUT;
import static io.github.gan4j.recipe.DiffAugment.Policy.TRANSLATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DiffAugmentSpecTest {
  @Nested
  class Parse {
    @Test
    void parse_readsThePapersPolicyString_inItsOrder() {
      assertThat(DiffAugment.parse("color,translation,cutout")).isEqualTo(DiffAugment.of(COLOR, TRANSLATION, CUTOUT));
      assertThat(DiffAugment.parse(" Cutout , COLOR ").policies()).containsExactly(CUTOUT, COLOR);
      assertThat(DiffAugment.parse("translation").policies()).containsExactly(TRANSLATION);
    }

    @Test
    void parse_noneAndEmpty_areNoAugmentation() {
      for (String none : List.of("none", "NONE", "", "  ")) {
        assertThat(DiffAugment.parse(none)).isEqualTo(DiffAugment.none());
      }
      assertThat(DiffAugment.none().isOn()).isFalse();
      assertThat(DiffAugment.of().isOn()).isFalse();
      assertThat(DiffAugment.of(CUTOUT).isOn()).isTrue();
    }

    @Test
    void parse_unknownPolicy_namesItAndTheValidOnes() {
      assertThatThrownBy(() -> DiffAugment.parse("color,flip")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown DiffAugment policy 'flip' in 'color,flip'")
          .hasMessageContaining("color, translation, cutout").hasMessageContaining("none");
      assertThatThrownBy(() -> DiffAugment.parse("color,,cutout")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown DiffAugment policy ''");
      assertThatThrownBy(() -> DiffAugment.parse("none,color")).hasMessageContaining("policy 'none'");
    }

    @Test
    void parse_repeatedPolicy_isRefused() {
      assertThatThrownBy(() -> DiffAugment.parse("cutout,color,cutout")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cutout is given twice in 'cutout,color,cutout'").hasMessageContaining("at most once");
      assertThatThrownBy(() -> DiffAugment.of(COLOR, COLOR)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("color is given twice in color,color");
      assertThatThrownBy(() -> new DiffAugment(Arrays.asList(COLOR, null))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("policy 1 is null");
    }

    @Test
    void id_isWhatParseReadsBack_andDescribeNamesIt() {
      for (DiffAugment a : List.of(DiffAugment.none(), DiffAugment.of(COLOR, TRANSLATION, CUTOUT),
          DiffAugment.of(CUTOUT, TRANSLATION))) {
        assertThat(DiffAugment.parse(a.id())).isEqualTo(a);
      }
      assertThat(DiffAugment.of(COLOR, TRANSLATION, CUTOUT).id()).isEqualTo("color,translation,cutout");
      assertThat(DiffAugment.of(COLOR, TRANSLATION, CUTOUT).describe())
          .isEqualTo("diffAugment(color,translation,cutout)");
      assertThat(DiffAugment.none().describe()).isEqualTo("none");
    }

    @Test
    void policies_areCopied() {
      List<DiffAugment.Policy> mine = new ArrayList<>(List.of(COLOR));
      DiffAugment a = new DiffAugment(mine);
      mine.add(CUTOUT);
      assertThat(a.policies()).containsExactly(COLOR);
      assertThatThrownBy(() -> a.policies().add(CUTOUT)).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void sizes_roundAsTheReferenceCode() {
    // int(size * 0.125 + 0.5) and int(size * 0.5 + 0.5)
    assertThat(DiffAugment.translationShift(32)).isEqualTo(4);
    assertThat(DiffAugment.translationShift(28)).isEqualTo(4);
    assertThat(DiffAugment.translationShift(64)).isEqualTo(8);
    assertThat(DiffAugment.translationShift(12)).isEqualTo(2);
    assertThat(DiffAugment.translationShift(3)).isEqualTo(0);
    assertThat(DiffAugment.cutoutSize(32)).isEqualTo(16);
    assertThat(DiffAugment.cutoutSize(28)).isEqualTo(14);
    assertThat(DiffAugment.cutoutSize(7)).isEqualTo(4);
  }

  @Test
  void augmentStreams_areChildrenOfAugment_distinctPerBatch() {
    List<String> names = List.of(RandomStream.augmentReal(0).name(), RandomStream.augmentFake(0).name(),
        RandomStream.augmentReal(1).name(), RandomStream.augmentFake(1).name(), RandomStream.augmentGenerator().name());
    assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.startsWith(RandomStream.AUGMENT.name() + "/"));
    assertThat(names).containsExactly("augment/d_real/0", "augment/d_fake/0", "augment/d_real/1", "augment/d_fake/1",
        "augment/g");
  }
}
