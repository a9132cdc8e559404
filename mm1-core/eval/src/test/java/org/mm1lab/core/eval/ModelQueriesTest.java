package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;
import org.mm1lab.core.data.WorldTokenizer;

/**
 * {@code mm1 caption} and {@code mm1 ask} prompts are the evaluation's zero-shot prompts; their
 * answers come with token counts, and a prompt that leaves no room for the answer is refused.
 */
class ModelQueriesTest {

  @TempDir Path dir;

  private final WorldTokenizer tokenizer = new WorldTokenizer();
  private final BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
  private final List<Prompt> seen = new ArrayList<>();
  private final List<Integer> lengths = new ArrayList<>();
  private final List<Sampling> samplings = new ArrayList<>();

  /** Queries over a scripted generator that always continues with {@code continuation}. */
  private ModelQueries queries(String continuation, int context, String... settings) {
    ModelQueries.IdGenerator scripted =
        (prompts, maxNewTokens, sampling) -> {
          seen.addAll(prompts);
          lengths.add(maxNewTokens);
          samplings.add(sampling);
          return List.of(tokenizer.encode(continuation));
        };
    return new ModelQueries(
        new FewShotPrompts(tokenizer, 4, context),
        scripted,
        new EvalSettings(EvalFixtures.config(dir, settings)));
  }

  @Test
  void captionAndAskUseZeroShotPromptsAndCountTheirTokens() {
    ModelQueries queries =
        queries("two red circles. and more", 64, "mm1.eval.max-new-tokens.vqa=3");
    assertEquals(24, queries.captionTokens());
    assertEquals(3, queries.answerTokens());
    assertEquals(64, queries.contextLength());

    ModelQueries.Answer caption = queries.caption(image, 24, Sampling.GREEDY);
    assertEquals("two red circles. and more", caption.answer());
    assertEquals("<image>Output:", caption.prompt());
    // <bos>, 4 image slots, "output" and ":"
    assertEquals(7, caption.promptTokens());
    assertEquals(tokenizer.encode("two red circles. and more").length, caption.answerTokens());

    Sampling sampled = new Sampling(0.7, 0.9, 5);
    ModelQueries.Answer answer = queries.ask(image, "what is there?", 3, sampled);
    assertEquals("two red circles", answer.answer());
    assertEquals("<image>Question: what is there? Short answer:", answer.prompt());
    assertEquals(3, answer.maxNewTokens());
    assertEquals(sampled, answer.sampling());
    assertEquals(List.of(24, 3), lengths);
    assertEquals(List.of(Sampling.GREEDY, sampled), samplings);
    assertEquals(0, seen.get(1).shots());
    assertEquals(1, seen.get(1).images().size());
    assertEquals(seen.get(1).length(), answer.promptTokens());
  }

  @Test
  void aBlankQuestionIsRefused() {
    ModelQueries queries = queries("two", 64);
    UserException e =
        assertThrows(UserException.class, () -> queries.ask(image, " \t", 3, Sampling.GREEDY));
    assertTrue(e.getMessage().startsWith("the question is empty"), e.getMessage());
    assertTrue(seen.isEmpty());
  }

  @Test
  void aQuestionTooLongForTheContextIsRefusedWithTheLimitAndNoAdviceToRetrain() {
    ModelQueries queries = queries("two", 30);
    String question = "what colour is the small circle at the top left of the image?";
    int promptTokens = 1 + 4 + tokenizer.encode("Question: " + question + " Short answer:").length;
    UserException tooLong =
        assertThrows(
            UserException.class,
            () -> queries.ask(image, question + " " + question, 6, Sampling.GREEDY));
    assertTrue(
        tooLong.getMessage().startsWith("the question is too long for the model: its prompt takes"),
        tooLong.getMessage());
    assertTrue(tooLong.getMessage().contains("past the model's context of 30 tokens"));
    assertTrue(tooLong.getMessage().endsWith("; shorten the question"), tooLong.getMessage());
    assertTrue(!tooLong.getMessage().contains("seq-len"), tooLong.getMessage());

    // The question fits, but not with the answer's length: the message says how much would.
    UserException answerTooLong =
        assertThrows(UserException.class, () -> queries.ask(image, question, 8, Sampling.GREEDY));
    int room = 30 - promptTokens;
    assertEquals(6, room);
    assertTrue(
        answerTooLong
            .getMessage()
            .endsWith(
                "shorten the question, or ask for at most "
                    + room
                    + " new tokens (--max-new-tokens "
                    + room
                    + ")"),
        answerTooLong.getMessage());
    assertEquals(room, queries.ask(image, question, room, Sampling.GREEDY).maxNewTokens());

    UserException caption =
        assertThrows(UserException.class, () -> queries.caption(image, 30, Sampling.GREEDY));
    assertTrue(caption.getMessage().startsWith("the caption prompt takes 7 tokens"));
    assertTrue(
        caption.getMessage().endsWith("ask for at most 23 new tokens (--max-new-tokens 23)"),
        caption.getMessage());
  }

  @Test
  void unknownWordsOfAQuestionAreFound() {
    ModelQueries queries = queries("two", 64);
    assertEquals(List.of("zebras"), queries.unknownWords("how many zebras?").spelled());
    assertTrue(queries.unknownWords("how many circles?").isEmpty());
  }
}
