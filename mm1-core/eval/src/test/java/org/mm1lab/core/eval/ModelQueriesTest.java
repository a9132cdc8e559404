package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.data.WorldTokenizer;

/** {@code mm1 caption} and {@code mm1 ask} prompts are the evaluation's zero-shot prompts. */
class ModelQueriesTest {

  @TempDir Path dir;

  @Test
  void captionAndAskUseZeroShotPromptsAndTaskLengths() {
    List<Prompt> seen = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    Generator scripted =
        (prompts, maxNewTokens) -> {
          seen.addAll(prompts);
          lengths.add(maxNewTokens);
          return List.of("two red circles. and more");
        };
    EvalSettings settings =
        new EvalSettings(EvalFixtures.config(dir, "mm1.eval.max-new-tokens.vqa=3"));
    ModelQueries queries =
        new ModelQueries(new FewShotPrompts(new WorldTokenizer(), 4, 64), scripted, settings);
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);

    assertEquals("two red circles. and more", queries.caption(image));
    assertEquals("two red circles", queries.ask(image, "what is there?"));
    assertEquals("<image>Output:", seen.get(0).query());
    assertEquals("<image>Question: what is there? Short answer:", seen.get(1).query());
    assertEquals(List.of(24, 3), lengths);
    assertEquals(0, seen.get(1).shots());
    assertEquals(1, seen.get(1).images().size());
  }
}
