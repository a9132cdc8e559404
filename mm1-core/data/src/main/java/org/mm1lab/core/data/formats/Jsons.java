package org.mm1lab.core.data.formats;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.mm1lab.core.io.JsonMessages;

/** Small JSON helpers for the readers: strict parsing of one record, ids as strings. */
final class Jsons {

  private Jsons() {}

  /** A record that is not the JSON it should be; the message is the reason for the report. */
  static final class BadJson extends Exception {
    private static final long serialVersionUID = 1L;

    BadJson(String message) {
      super(message);
    }
  }

  /** Parses one JSON object strictly (a whole line of a JSON Lines file, a tar member). */
  static JsonObject parseObject(String text) throws BadJson {
    JsonElement element;
    try (JsonReader reader = new JsonReader(new StringReader(text))) {
      reader.setStrictness(Strictness.STRICT);
      element = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new BadJson("malformed JSON: text after the object");
      }
    } catch (RuntimeException | IOException e) {
      throw new BadJson("malformed JSON: " + firstLine(e.getMessage()));
    }
    if (!element.isJsonObject()) {
      throw new BadJson("malformed record: not a JSON object");
    }
    return element.getAsJsonObject();
  }

  /** A string or number field as a string, or {@code null} when absent or of another type. */
  static String idOf(JsonObject object, String field) {
    JsonElement value = object.get(field);
    if (value == null || !value.isJsonPrimitive()) {
      return null;
    }
    JsonPrimitive primitive = value.getAsJsonPrimitive();
    return primitive.isString() || primitive.isNumber() ? primitive.getAsString() : null;
  }

  /**
   * The format a JSON Lines record that another format could not read looks like, as a hint for its
   * bad-record reason ({@code ; it looks like an OBELICS document: use format = obelics}), or an
   * empty string.
   */
  static String layoutHint(JsonObject line) {
    if (line.has("texts") && line.has("images")) {
      return "; it looks like an OBELICS document: use format = obelics";
    }
    if (line.has("text_list") && line.has("image_info")) {
      return "; it looks like an MMC4 document: use format = mmc4";
    }
    if (line.has("conversations")) {
      return "; it looks like LLaVA instruction data, which MM1 Lab does not read";
    }
    return "";
  }

  /** A string field, or {@code null} when absent or not a string. */
  static String stringOf(JsonObject object, String field) {
    JsonElement value = object.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      return null;
    }
    return value.getAsString();
  }

  /** A streaming reader of a whole JSON document (COCO, VQA), strict. */
  static JsonReader reader(Reader in) {
    JsonReader reader = new JsonReader(in);
    reader.setStrictness(Strictness.STRICT);
    return reader;
  }

  /** Reads a string or number value as a string (ids); {@code null} for JSON null. */
  static String nextId(JsonReader reader) throws IOException {
    JsonToken token = reader.peek();
    if (token == JsonToken.NULL) {
      reader.nextNull();
      return null;
    }
    if (token == JsonToken.STRING || token == JsonToken.NUMBER) {
      return reader.nextString();
    }
    reader.skipValue();
    return null;
  }

  /** Reads a string value; {@code null} for anything else (skipped). */
  static String nextStringOrNull(JsonReader reader) throws IOException {
    if (reader.peek() == JsonToken.STRING) {
      return reader.nextString();
    }
    reader.skipValue();
    return null;
  }

  private static String firstLine(String message) {
    return JsonMessages.reason(message);
  }
}
