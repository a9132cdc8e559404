package org.mm1lab.core.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.JsonMessages;

/**
 * Reads the evaluator's JSON files and their fields, failing with one line that names the file, the
 * record and the field, so a broken file can be found and fixed.
 */
final class JsonFields {

  private final Path file;

  JsonFields(Path file) {
    this.file = file;
  }

  /** Parses the whole file. */
  JsonElement parseFile() {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return JsonParser.parseReader(in);
    } catch (JsonParseException e) {
      String message = JsonMessages.reason(e.getMessage());
      throw new UserException(file + ": malformed JSON (" + message + ")", e);
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A problem at {@code where} in the file. */
  UserException problem(String where, String what) {
    return new UserException(file + ": " + where + ": " + what);
  }

  /** A required string field. */
  String string(JsonObject o, String where, String key) {
    JsonElement v = o.get(key);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
      throw problem(where, "\"" + key + "\" must be a string");
    }
    return v.getAsString();
  }

  /** An optional string field; {@code null} when absent or null. */
  String optionalString(JsonObject o, String where, String key) {
    JsonElement v = o.get(key);
    return v == null || v.isJsonNull() ? null : string(o, where, key);
  }

  /** A required number field. */
  double number(JsonObject o, String where, String key) {
    JsonElement v = o.get(key);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
      throw problem(where, "\"" + key + "\" must be a number");
    }
    return v.getAsDouble();
  }

  /** A required whole number field that is at least zero. */
  long count(JsonObject o, String where, String key) {
    double v = number(o, where, key);
    if (v < 0 || v != Math.rint(v) || v > Long.MAX_VALUE) {
      throw problem(where, "\"" + key + "\" must be a whole number >= 0, not " + o.get(key));
    }
    return (long) v;
  }

  /** An optional whole number field that is at least zero; {@code fallback} when absent. */
  long optionalCount(JsonObject o, String where, String key, long fallback) {
    JsonElement v = o.get(key);
    return v == null || v.isJsonNull() ? fallback : count(o, where, key);
  }

  /**
   * An optional number field that is at least zero; NaN (unknown) when absent or null, as in files
   * written before the field existed.
   */
  double optionalNonNegative(JsonObject o, String where, String key) {
    JsonElement v = o.get(key);
    if (v == null || v.isJsonNull()) {
      return Double.NaN;
    }
    double value = number(o, where, key);
    if (!(value >= 0)) {
      throw problem(where, "\"" + key + "\" must be a number >= 0 or null, not " + v);
    }
    return value;
  }

  /** The element as an object. */
  JsonObject object(JsonElement e, String where) {
    if (e == null || !e.isJsonObject()) {
      throw problem(where, "must be a JSON object");
    }
    return e.getAsJsonObject();
  }
}
