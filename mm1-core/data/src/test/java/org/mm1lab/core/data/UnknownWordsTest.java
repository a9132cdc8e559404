package org.mm1lab.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which words of a question a model's tokenizer does not hold, and how the user is told. */
class UnknownWordsTest {

  @TempDir Path dir;

  @Test
  void theWorldTokenizerSpellsWordsOutsideItsVocabularyAndReadsOtherCharactersAsUnknown() {
    UnknownWords found =
        UnknownWords.in(new WorldTokenizer(), "What colour is the Zebra, the café and the zebra?");
    assertEquals(List.of("café"), found.unknown());
    assertEquals(List.of("zebra"), found.spelled());
    assertEquals(
        List.of(
            "1 word is not in the model's vocabulary: café; it is read as <unk>",
            "1 word is not in the model's vocabulary: zebra; it is spelled letter by letter"),
        found.warnings());
  }

  @Test
  void aQuestionInTheVocabularyHasNoWarnings() {
    UnknownWords found =
        UnknownWords.in(new WorldTokenizer(), "  how many red circles are there? ");
    assertTrue(found.isEmpty());
    assertEquals(List.of(), found.warnings());
    assertEquals(5, new WorldTokenizer().unknownId());
    assertEquals("<unk>", new WorldTokenizer().tokens().get(5));
  }

  @Test
  void severalWordsAreCountedOnceEach() {
    UnknownWords found = UnknownWords.in(new WorldTokenizer(), "foo qux foo? red");
    assertEquals(
        List.of(
            "2 words are not in the model's vocabulary: foo, qux; they are spelled letter by"
                + " letter"),
        found.warnings());
  }

  @Test
  void aSubwordTokenizerReportsOnlyWhatItReadsAsUnknown() throws Exception {
    String json =
        "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
            + "{\"id\":0,\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,"
            + "\"rstrip\":false,\"normalized\":false,\"special\":true}],"
            + "\"normalizer\":{\"type\":\"Lowercase\"},"
            + "\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
            + "\"post_processor\":null,\"decoder\":null,"
            + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,"
            + "\"a\":1,\"red\":2,\"circle\":3,\"?\":4},\"unk_token\":\"[UNK]\"}}";
    Path file = Files.writeString(dir.resolve("tokenizer.json"), json);
    Tokenizer tokenizer = Tokenizers.load(file.toString());
    assertEquals(0, tokenizer.unknownId());
    UnknownWords found = UnknownWords.in(tokenizer, "a red zebra? a blue circle");
    assertEquals(List.of("zebra", "blue"), found.unknown());
    assertEquals(List.of(), found.spelled());
    assertEquals(
        List.of("2 words are not in the model's vocabulary: zebra, blue; they are read as <unk>"),
        found.warnings());
  }
}
