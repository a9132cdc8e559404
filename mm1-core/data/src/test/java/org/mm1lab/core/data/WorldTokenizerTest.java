package org.mm1lab.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorldTokenizerTest {

  private final WorldTokenizer tokenizer = new WorldTokenizer();

  @Test
  void specialTokensHaveFixedIds() {
    assertEquals("<pad>", tokenizer.tokens().get(tokenizer.padId()));
    assertEquals("<bos>", tokenizer.tokens().get(tokenizer.bosId()));
    assertEquals("<eos>", tokenizer.tokens().get(tokenizer.eosId()));
    assertEquals("<image>", tokenizer.tokens().get(tokenizer.imageId()));
    assertEquals("<eoc>", tokenizer.tokens().get(tokenizer.endOfChunkId()));
  }

  @Test
  void worldWordsAreSingleTokens() {
    int[] ids = tokenizer.encode("A small red circle.");
    assertEquals(5, ids.length);
    assertEquals("a small red circle.", tokenizer.decode(ids));
  }

  @Test
  void unknownWordsAreSpelledAndRoundTrip() {
    String text = "the sign reads zebra42, then mm1!";
    int[] ids = tokenizer.encode(text);
    assertEquals(text, tokenizer.decode(ids));
    // "zebra42" is spelled: z ##e ##b ##r ##a ##4 ##2
    assertTrue(ids.length > text.split(" ").length + 7);
  }

  @Test
  void specialIdsAreDroppedWhenDecoding() {
    int red = tokenizer.encode("red")[0];
    assertArrayEquals(new int[] {red}, tokenizer.encode("RED"));
    assertEquals(
        "red",
        tokenizer.decode(
            new int[] {tokenizer.bosId(), tokenizer.imageId(), red, tokenizer.eosId()}));
  }

  @Test
  void unknownCharactersBecomeUnk() {
    int[] ids = tokenizer.encode("é");
    assertEquals(1, ids.length);
    assertEquals("<unk>", tokenizer.tokens().get(ids[0]));
  }
}
