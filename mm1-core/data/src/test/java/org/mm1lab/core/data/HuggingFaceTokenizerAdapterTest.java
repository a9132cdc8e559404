package org.mm1lab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.UserException;

class HuggingFaceTokenizerAdapterTest {

  @TempDir Path dir;

  /** A word-level tokenizer.json with <s> and </s> but no pad, image or end-of-chunk token. */
  private Path wordLevel() throws Exception {
    return wordLevel("null", "null");
  }

  /**
   * The same tokenizer with the file's own {@code truncation} and {@code padding} blocks, as JSON.
   */
  private Path wordLevel(String truncation, String padding) throws Exception {
    String json =
        "{\"version\":\"1.0\",\"truncation\":"
            + truncation
            + ",\"padding\":"
            + padding
            + ","
            + "\"added_tokens\":["
            + "{\"id\":0,\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
            + "{\"id\":1,\"content\":\"<s>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
            + "{\"id\":2,\"content\":\"</s>\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}],"
            + "\"normalizer\":{\"type\":\"Lowercase\"},"
            + "\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
            + "\"post_processor\":null,\"decoder\":null,"
            + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"[UNK]\":0,\"<s>\":1,\"</s>\":2,"
            + "\"a\":3,\"red\":4,\"circle\":5},\"unk_token\":\"[UNK]\"}}";
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, json);
    return file;
  }

  @Test
  void encodesWithTheFileAndAddsMissingSpecials() throws Exception {
    Tokenizer tokenizer = Tokenizers.load(wordLevel().toString());
    assertArrayEquals(new int[] {3, 4, 5}, tokenizer.encode("A red circle"));
    assertArrayEquals(new int[] {3, 0}, tokenizer.encode("a zebra"));
    assertEquals(1, tokenizer.bosId());
    assertEquals(2, tokenizer.eosId());
    // pad, image and end-of-chunk are new ids after the file's last id (5).
    assertEquals(6, tokenizer.padId());
    assertEquals(7, tokenizer.imageId());
    assertEquals(8, tokenizer.endOfChunkId());
    assertEquals(9, tokenizer.vocabularySize());
    assertEquals("<image>", tokenizer.tokens().get(7));
  }

  @Test
  void longTextsAreNotTruncated() throws Exception {
    // DJL's tokenizer cuts every text at the model's maximum length (512 by default) unless told
    // not to; the sequence builder decides about seq-len, and counts what it cuts.
    Tokenizer tokenizer = Tokenizers.load(wordLevel().toString());
    String text = String.join(" ", java.util.Collections.nCopies(3000, "red"));
    int[] ids = tokenizer.encode(text);
    assertEquals(3000, ids.length);
    assertEquals(4, ids[2999]);
  }

  @Test
  void theFilesOwnLengthLimitAndPaddingAreIgnoredToo() throws Exception {
    // A tokenizer.json saved from a model that was trained at 16 tokens carries that cut (and a
    // padding to it) in the file; the sequence builder, not the file, decides about length.
    Path file =
        wordLevel(
            "{\"direction\":\"Right\",\"max_length\":16,\"strategy\":\"LongestFirst\","
                + "\"stride\":0}",
            "{\"strategy\":{\"Fixed\":32},\"direction\":\"Right\",\"pad_to_multiple_of\":null,"
                + "\"pad_id\":0,\"pad_type_id\":0,\"pad_token\":\"[UNK]\"}");
    Tokenizer tokenizer = Tokenizers.load(file.toString());
    String text = String.join(" ", java.util.Collections.nCopies(2000, "circle"));
    assertEquals(2000, tokenizer.encode(text).length);
    assertArrayEquals(new int[] {3, 4}, tokenizer.encode("a red"));
  }

  @Test
  void decodingDropsSpecials() throws Exception {
    Tokenizer tokenizer = Tokenizers.load(wordLevel().toString());
    String text =
        tokenizer.decode(
            new int[] {tokenizer.bosId(), tokenizer.imageId(), 4, 5, tokenizer.eosId()});
    assertEquals("red circle", text);
  }

  @Test
  void aFileThatIsNoTokenizerIsOneClearLine() throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ not json");
    UserException e = assertThrows(UserException.class, () -> Tokenizers.load(file.toString()));
    assertTrue(
        e.getMessage().startsWith("tokenizer " + file + " is not a tokenizer.json"),
        e.getMessage());
  }
}
