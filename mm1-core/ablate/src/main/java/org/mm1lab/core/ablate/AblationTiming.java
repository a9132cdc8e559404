package org.mm1lab.core.ablate;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.mm1lab.core.UserException;

/**
 * An ablation's {@code timing.json}: every {@code mm1 ablate} session that ran children in its
 * folder, oldest first. A resumed ablation adds a session; the ablation's wall time is the sum of
 * its sessions' wall times, which never overlap (one {@code mm1 ablate} holds a folder at a time).
 * Time between sessions, and runs made by cluster jobs, are not in it.
 *
 * @param sessions the sessions, oldest first
 */
public record AblationTiming(List<AblationSession> sessions) {

  /** Copies the list. */
  public AblationTiming {
    sessions = List.copyOf(sessions);
  }

  /** The sum of the sessions' wall times in seconds; 0 for none. */
  public double totalWallSeconds() {
    return sessions.stream().mapToDouble(AblationSession::wallSeconds).sum();
  }

  /** This record with {@code session} added after the others. */
  AblationTiming with(AblationSession session) {
    List<AblationSession> all = new ArrayList<>(sessions);
    all.add(session);
    return new AblationTiming(all);
  }

  /**
   * Reads a folder's {@code timing.json}; no sessions when there is none.
   *
   * @throws UserException when it exists but cannot be read or is no timing record
   */
  public static AblationTiming read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new AblationTiming(List.of());
    } catch (IOException e) {
      throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      List<AblationSession> sessions = new ArrayList<>();
      for (JsonElement e :
          JsonParser.parseString(text).getAsJsonObject().getAsJsonArray("sessions")) {
        sessions.add(session(e.getAsJsonObject()));
      }
      return new AblationTiming(sessions);
    } catch (JsonParseException
        | IllegalStateException
        | NullPointerException
        | ClassCastException
        | UnsupportedOperationException
        | DateTimeParseException e) {
      throw new UserException(file + " is not a timing record (" + e.getMessage() + ")", e);
    }
  }

  private static AblationSession session(JsonObject o) {
    JsonObject m = o.getAsJsonObject("machine");
    List<AblationSession.Child> children = new ArrayList<>();
    if (o.has("children")) {
      for (JsonElement e : o.getAsJsonArray("children")) {
        JsonObject c = e.getAsJsonObject();
        children.add(
            new AblationSession.Child(
                c.get("name").getAsString(),
                c.get("kind").getAsString().equals("stage"),
                c.get("seconds").getAsDouble(),
                c.get("outcome").getAsString()));
      }
    }
    return new AblationSession(
        new AblationProvenance(text(o, "command"), text(o, "mm1-version"), text(o, "git-commit")),
        Instant.parse(o.get("start").getAsString()),
        Instant.parse(o.get("end").getAsString()),
        o.get("finished").getAsBoolean(),
        o.get("jobs").getAsInt(),
        new MachineInfo(
            m.get("cores").getAsInt(), text(m, "cpu-model"), m.get("memory-bytes").getAsLong()),
        numbers(o, "load-start"),
        numbers(o, "load-end"),
        o.get("ran").getAsInt(),
        o.get("failed").getAsInt(),
        o.get("interrupted").getAsBoolean(),
        children);
  }

  /** The record as JSON. */
  public String toJson() {
    JsonObject root = new JsonObject();
    // For a reader of the file; mm1 sums the sessions itself.
    root.addProperty("total-wall-seconds", round(totalWallSeconds()));
    JsonArray array = new JsonArray();
    for (AblationSession s : sessions) {
      JsonObject o = new JsonObject();
      o.addProperty("command", s.provenance().command());
      o.addProperty("mm1-version", s.provenance().version());
      o.addProperty("git-commit", s.provenance().commit());
      o.addProperty("start", s.start().toString());
      o.addProperty("end", s.end().toString());
      o.addProperty("wall-seconds", round(s.wallSeconds()));
      o.addProperty("finished", s.finished());
      o.addProperty("jobs", s.jobs());
      JsonObject m = new JsonObject();
      m.addProperty("cores", s.machine().cores());
      m.addProperty("cpu-model", s.machine().cpuModel());
      m.addProperty("memory-bytes", s.machine().memoryBytes());
      o.add("machine", m);
      o.add("load-start", numbers(s.loadStart()));
      o.add("load-end", numbers(s.loadEnd()));
      o.addProperty("ran", s.ran());
      o.addProperty("failed", s.failed());
      o.addProperty("interrupted", s.interrupted());
      JsonArray children = new JsonArray();
      for (AblationSession.Child c : s.children()) {
        JsonObject child = new JsonObject();
        child.addProperty("name", c.name());
        child.addProperty("kind", c.stage() ? "stage" : "run");
        child.addProperty("seconds", round(c.seconds()));
        child.addProperty("outcome", c.outcome());
        children.add(child);
      }
      o.add("children", children);
      array.add(o);
    }
    root.add("sessions", array);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static String text(JsonObject o, String key) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
  }

  private static List<Double> numbers(JsonObject o, String key) {
    List<Double> values = new ArrayList<>();
    if (o.has(key)) {
      o.getAsJsonArray(key).forEach(v -> values.add(v.getAsDouble()));
    }
    return values;
  }

  private static JsonArray numbers(List<Double> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }
}
