package org.mm1lab.api.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for safetensors headers (so that the API module needs no JSON library):
 * objects become insertion-ordered {@link Map}s, arrays {@link List}s, numbers {@link Long} when
 * integral and {@link Double} otherwise, and {@code true}, {@code false}, {@code null} themselves.
 */
final class Json {

  /** Malformed JSON, with the character offset where reading failed. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, int offset) {
      super(message + " at character " + offset);
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value that makes up the whole text (surrounding whitespace allowed). */
  static Object parse(String text) throws ParseException {
    Json json = new Json(text);
    Object value = json.value();
    json.skipSpace();
    if (json.pos != text.length()) {
      throw new ParseException("unexpected text after the JSON value", json.pos);
    }
    return value;
  }

  private Object value() throws ParseException {
    skipSpace();
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of text", pos);
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{' -> {
        return object();
      }
      case '[' -> {
        return array();
      }
      case '"' -> {
        return string();
      }
      case 't' -> {
        return literal("true", true);
      }
      case 'f' -> {
        return literal("false", false);
      }
      case 'n' -> {
        return literal("null", null);
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw new ParseException("unexpected character '" + c + "'", pos);
      }
    }
  }

  private Map<String, Object> object() throws ParseException {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++; // {
    skipSpace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw new ParseException("expected a quoted key", pos);
      }
      int at = pos;
      String key = string();
      skipSpace();
      expect(':');
      Object value = value();
      if (map.containsKey(key)) {
        throw new ParseException("duplicate key \"" + key + "\"", at);
      }
      map.put(key, value);
      skipSpace();
      char c = peek();
      pos++;
      if (c == '}') {
        return map;
      }
      if (c != ',') {
        throw new ParseException("expected ',' or '}'", pos - 1);
      }
    }
  }

  private List<Object> array() throws ParseException {
    List<Object> list = new ArrayList<>();
    pos++; // [
    skipSpace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value());
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return list;
      }
      if (c != ',') {
        throw new ParseException("expected ',' or ']'", pos - 1);
      }
    }
  }

  private String string() throws ParseException {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw new ParseException("unterminated string", pos);
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw new ParseException("unterminated escape", pos);
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw new ParseException("truncated \\u escape", pos);
          }
          try {
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException ex) {
            throw new ParseException("bad \\u escape", pos);
          }
          pos += 4;
        }
        default -> throw new ParseException("bad escape \\" + e, pos - 1);
      }
    }
  }

  private Object number() throws ParseException {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    String token = text.substring(start, pos);
    try {
      if (token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0) {
        return Long.parseLong(token);
      }
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      throw new ParseException("bad number '" + token + "'", start);
    }
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!text.startsWith(word, pos)) {
      throw new ParseException("unexpected text", pos);
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws ParseException {
    if (peek() != c) {
      throw new ParseException("expected '" + c + "'", pos);
    }
    pos++;
  }

  private char peek() throws ParseException {
    if (pos >= text.length()) {
      throw new ParseException("unexpected end of text", pos);
    }
    return text.charAt(pos);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  /** {@code s} as a JSON string literal, quotes included. */
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
}
