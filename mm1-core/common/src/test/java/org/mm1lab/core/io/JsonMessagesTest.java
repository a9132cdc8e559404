package org.mm1lab.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** Gson's messages without the advice meant for programmers. */
class JsonMessagesTest {

  @Test
  void theLenientAdviceAndTheLinkAreLeftOut() {
    JsonParseException e =
        assertThrows(JsonParseException.class, () -> JsonParser.parseString("{\"a\": 1 2}"));
    String reason = JsonMessages.reason(e.getMessage());
    assertFalse(reason.contains("JsonReader"), reason);
    assertFalse(reason.contains("https://"), reason);
    assertTrue(reason.contains("line 1 column"), reason);
  }

  @Test
  void otherMessagesKeepTheirFirstLine() {
    assertEquals(
        "Unterminated object at line 1",
        JsonMessages.reason("Unterminated object at line 1\nSee x"));
    assertEquals("unreadable", JsonMessages.reason(null));
  }
}
