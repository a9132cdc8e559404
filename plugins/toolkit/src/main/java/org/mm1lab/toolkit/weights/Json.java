package org.mm1lab.toolkit.weights;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a safetensors header, read with Gson's streaming reader in strict mode: objects
 * become insertion-ordered {@link Map}s, arrays {@link List}s, numbers {@link Long} when integral
 * and {@link Double} otherwise, and {@code true}, {@code false}, {@code null} themselves. A
 * duplicate key (which would leave unclear which entry holds) and any text after the value are
 * malformed too.
 */
final class Json {

  /** Malformed JSON, with the character offset where reading failed. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, int offset) {
      super(message + " at character " + offset);
    }
  }

  /**
   * Gson's own complaint about most syntax errors; it advises a leniency that a header must not
   * have, so messages say "malformed JSON" instead.
   */
  private static final String GSON_LENIENCY_ADVICE = "Use JsonReader.setStrictness";

  private final String text;
  private final CountingReader source;
  private final JsonReader reader;

  private Json(String text) {
    this.text = text;
    this.source = new CountingReader(text);
    this.reader = new JsonReader(source);
    reader.setStrictness(Strictness.STRICT);
  }

  /** Parses one JSON value that makes up the whole text (surrounding whitespace allowed). */
  static Object parse(String text) throws ParseException {
    return new Json(text).document();
  }

  private Object document() throws ParseException {
    Object value;
    try {
      value = value();
    } catch (EOFException e) {
      throw new ParseException("unexpected end of text", text.length());
    } catch (IOException e) {
      throw new ParseException(problem(e), source.lastRead());
    }
    try {
      if (reader.peek() == JsonToken.END_DOCUMENT) {
        return value;
      }
    } catch (IOException e) {
      // strict mode refuses a second value outright; the message below says what it is
    }
    throw new ParseException("unexpected text after the JSON value", source.lastRead());
  }

  private Object value() throws IOException, ParseException {
    JsonToken token = reader.peek();
    return switch (token) {
      case BEGIN_OBJECT -> object();
      case BEGIN_ARRAY -> array();
      case STRING -> reader.nextString();
      case NUMBER -> number();
      case BOOLEAN -> reader.nextBoolean();
      case NULL -> {
        reader.nextNull();
        yield null;
      }
      default -> throw new ParseException("unexpected " + token, source.lastRead());
    };
  }

  private Map<String, Object> object() throws IOException, ParseException {
    Map<String, Object> map = new LinkedHashMap<>();
    reader.beginObject();
    while (reader.hasNext()) {
      int at = source.lastRead(); // the key's opening quote, which hasNext() has just read
      String key = reader.nextName();
      if (map.containsKey(key)) {
        throw new ParseException("duplicate key \"" + key + "\"", at);
      }
      map.put(key, value());
    }
    reader.endObject();
    return map;
  }

  private List<Object> array() throws IOException, ParseException {
    List<Object> list = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) {
      list.add(value());
    }
    reader.endArray();
    return list;
  }

  private Object number() throws IOException, ParseException {
    String token = reader.nextString();
    try {
      if (token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0) {
        return Long.parseLong(token);
      }
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      // Gson has read the number and the character after it
      int start = Math.max(0, text.lastIndexOf(token, source.lastRead()));
      throw new ParseException("bad number '" + token + "'", start);
    }
  }

  /**
   * Gson's description of a syntax error without its location (the offset replaces it) and without
   * its troubleshooting link, plus the JSON path where it happened.
   */
  private String problem(IOException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    int location = message.indexOf(" at line ");
    String what =
        location >= 0 ? message.substring(0, location) : message.lines().findFirst().orElse("");
    if (!(e instanceof MalformedJsonException)
        || what.isEmpty()
        || what.startsWith(GSON_LENIENCY_ADVICE)) {
      what = "malformed JSON";
    }
    return what + " in " + reader.getPath();
  }

  /**
   * {@code s} as a JSON string literal, quotes included. The writer lays out its header itself, so
   * quoting is all the JSON writing it needs.
   */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /**
   * Hands Gson the text one character per read, so that the count handed out is exactly how far
   * Gson has read: Gson keeps its position to itself, and a message about a malformed header should
   * point at the spot. Headers are small enough that the extra calls do not matter.
   */
  private static final class CountingReader extends Reader {
    private final String text;
    private int handedOut;

    CountingReader(String text) {
      this.text = text;
    }

    /** The offset of the last character Gson has read (0 before any). */
    int lastRead() {
      return Math.max(0, handedOut - 1);
    }

    @Override
    public int read(char[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (handedOut >= text.length()) {
        return -1;
      }
      buffer[offset] = text.charAt(handedOut++);
      return 1;
    }

    @Override
    public void close() {}
  }
}
