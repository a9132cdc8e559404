package org.mm1lab.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mm1lab.core.UserException;
import org.mm1lab.core.io.JsonMessages;
import org.mm1lab.core.layout.RunLayout.Checkpoint;
import org.mm1lab.core.pipeline.PipelineState;
import org.mm1lab.toolkit.weights.ParameterMapping;
import org.mm1lab.toolkit.weights.SafetensorsReader;
import org.mm1lab.toolkit.weights.SafetensorsWriter;
import org.mm1lab.toolkit.weights.WeightLoader;

/**
 * A run's checkpoints: {@code step-NNNNNNNN/} folders, each with {@code model.safetensors} (every
 * parameter by its block name, float32 in every precision), {@code optimizer.safetensors} (AdamW's
 * moments) and {@code state.json} (step, optimizer step, data position, the loss scaler of a
 * mixed-precision run, and SHA-256 of both tensor files). A checkpoint is written into a temporary
 * folder and renamed into place, so a kill at any moment leaves the previous ones intact; the
 * newest {@code keep} are kept.
 */
public final class Checkpoints {

  private static final String FORMAT = "mm1-checkpoint-1";

  /** The key in {@code state.json} of a mixed-precision run's loss scaler, and its fields. */
  private static final String LOSS_SCALE = "loss-scale";

  private static final String SCALE = "scale";
  private static final String GOOD_STEPS = "good-steps";
  private static final String SKIPPED_STEPS = "skipped-steps";

  /** How the folder a checkpoint is written into before its rename begins. */
  private static final String TEMPORARY_PREFIX = ".tmp-";

  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private final Path dir;
  private final int keep;

  /**
   * @param dir the run's checkpoint folder
   * @param keep how many of the newest checkpoints to keep (at least 1)
   */
  public Checkpoints(Path dir, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
    }
    this.dir = dir;
    this.keep = keep;
  }

  /**
   * Writes a checkpoint of a float32 run atomically and prunes old ones.
   *
   * @return the new checkpoint's folder
   */
  public Path save(int step, MultimodalModel model, AdamW optimizer, PipelineState data) {
    return save(step, model, optimizer, null, data);
  }

  /**
   * Writes a checkpoint atomically and prunes old ones; a mixed-precision run's loss scaler goes
   * into {@code state.json} beside the step (the weights are the float32 masters either way).
   *
   * @param scaler the run's loss scaler, or {@code null} in float32
   * @return the new checkpoint's folder
   */
  public Path save(
      int step, MultimodalModel model, AdamW optimizer, LossScaler scaler, PipelineState data) {
    Path target = dir.resolve(Checkpoint.folder(step));
    Path temporary =
        dir.resolve(TEMPORARY_PREFIX + target.getFileName() + "-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(temporary);
      Map<String, NDArray> parameters = new LinkedHashMap<>();
      model.getParameters().forEach(p -> parameters.put(p.getKey(), p.getValue().getArray()));
      SafetensorsWriter.write(temporary.resolve(Checkpoint.MODEL), parameters);
      SafetensorsWriter.write(temporary.resolve(Checkpoint.OPTIMIZER), optimizer.state());
      JsonObject state = new JsonObject();
      state.addProperty("format", FORMAT);
      state.addProperty("step", step);
      state.addProperty("optimizer-step", optimizer.step());
      state.addProperty("mixer-state", data.mixerState());
      JsonObject positions = new JsonObject();
      data.positions().forEach(positions::addProperty);
      state.add("positions", positions);
      state.addProperty("carried-source", data.carriedSource());
      if (scaler != null) {
        LossScaler.State scaling = scaler.state();
        JsonObject lossScale = new JsonObject();
        lossScale.addProperty(SCALE, scaling.scale());
        lossScale.addProperty(GOOD_STEPS, scaling.goodSteps());
        lossScale.addProperty(SKIPPED_STEPS, scaling.skippedSteps());
        state.add(LOSS_SCALE, lossScale);
      }
      JsonObject sums = new JsonObject();
      sums.addProperty(Checkpoint.MODEL, sha256(temporary.resolve(Checkpoint.MODEL)));
      sums.addProperty(Checkpoint.OPTIMIZER, sha256(temporary.resolve(Checkpoint.OPTIMIZER)));
      state.add("sha256", sums);
      Files.writeString(
          temporary.resolve(Checkpoint.STATE), GSON.toJson(state), StandardCharsets.UTF_8);
      if (Files.exists(target)) {
        deleteTree(target);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target);
      }
      prune();
      return target;
    } catch (IOException e) {
      throw new UserException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest checkpoint folder, if any, complete or not: a newest checkpoint that cannot be
   * loaded must stop its reader, not send it silently to an older one (or to none, and a training
   * from step 0 over it).
   */
  public Optional<Path> latest() {
    List<Path> all = all();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The checkpoint written after {@code step} steps, if its folder is there. */
  public Optional<Path> at(int step) {
    Path folder = dir.resolve(Checkpoint.folder(step));
    return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
  }

  /** Every checkpoint folder, complete or not, oldest first. */
  public List<Path> all() {
    return list();
  }

  /**
   * The newest checkpoint older than {@code than} that loads: its state is readable and both tensor
   * files match their checksums (whether it fits the model is known only on loading).
   */
  public Optional<Path> newestIntactBefore(Path than) {
    List<Path> all = all();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path candidate = all.get(i);
      if (candidate.getFileName().toString().compareTo(than.getFileName().toString()) < 0
          && intact(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether a checkpoint's state is readable and its tensor files match their checksums. */
  public static boolean intact(Path checkpoint) {
    try {
      JsonObject state = readState(checkpoint);
      verify(checkpoint, state, Checkpoint.MODEL);
      verify(checkpoint, state, Checkpoint.OPTIMIZER);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The folders checkpoints were being written into when their writer died (a kill, a full disk):
   * safe to remove only while the run folder's lock is held, so that no live writer owns them.
   */
  public List<Path> temporaries() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith(TEMPORARY_PREFIX))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UserException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes {@link #temporaries()}; call only with the run folder's lock held.
   *
   * @return how many were removed
   */
  public int removeTemporaries() {
    List<Path> temporaries = temporaries();
    for (Path temporary : temporaries) {
      try {
        deleteTree(temporary);
      } catch (IOException e) {
        throw new UserException(
            "cannot remove the unfinished checkpoint " + temporary + ": " + e.getMessage(), e);
      }
    }
    return temporaries.size();
  }

  /**
   * Loads a float32 run's checkpoint into an initialised model and a fresh optimizer.
   *
   * @throws UserException naming the checkpoint and what is wrong, when it is incomplete, corrupt,
   *     or does not fit the model; the model is then unchanged
   */
  public static Restored load(
      Path checkpoint, MultimodalModel model, AdamW optimizer, NDManager manager) {
    return load(checkpoint, model, optimizer, null, manager);
  }

  /**
   * Loads a checkpoint into an initialised model, a fresh optimizer and, for a mixed-precision run,
   * its loss scaler.
   *
   * @param scaler the run's loss scaler, restored from the checkpoint; {@code null} in float32
   * @throws UserException naming the checkpoint and what is wrong, when it is incomplete, corrupt,
   *     does not fit the model, or lacks the loss scaler's state a mixed-precision run needs; the
   *     model is then unchanged
   */
  public static Restored load(
      Path checkpoint,
      MultimodalModel model,
      AdamW optimizer,
      LossScaler scaler,
      NDManager manager) {
    JsonObject state = readState(checkpoint);
    for (String file : List.of(Checkpoint.MODEL, Checkpoint.OPTIMIZER)) {
      verify(checkpoint, state, file);
    }
    LossScaler.State scaling = scaler == null ? null : lossScale(checkpoint, state);
    ParameterMapping.Builder mapping = ParameterMapping.builder();
    for (var entry : model.getParameters()) {
      mapping.put(entry.getKey(), entry.getValue());
    }
    try {
      WeightLoader.load(checkpoint.resolve(Checkpoint.MODEL), mapping.build(), manager);
      Map<String, NDArray> optimizerState = new LinkedHashMap<>();
      try (SafetensorsReader reader =
              SafetensorsReader.open(checkpoint.resolve(Checkpoint.OPTIMIZER));
          NDManager scratch = manager.newSubManager()) {
        for (String name : reader.names()) {
          optimizerState.put(name, reader.read(name, scratch));
        }
        optimizer.restore(optimizerState, state.get("optimizer-step").getAsLong());
      }
      if (scaler != null) {
        scaler.restore(scaling);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserException user) {
        throw user;
      }
      throw corrupt(checkpoint, e.getMessage());
    }
    return position(state);
  }

  /**
   * Loads only a checkpoint's model parameters into an initialised model (for evaluation and
   * generation), after checking the file's checksum.
   *
   * @return the step the checkpoint was written at
   * @throws UserException naming the checkpoint and what is wrong; the model is then unchanged
   */
  public static int loadModel(Path checkpoint, MultimodalModel model, NDManager manager) {
    JsonObject state = readState(checkpoint);
    verify(checkpoint, state, Checkpoint.MODEL);
    ParameterMapping.Builder mapping = ParameterMapping.builder();
    for (var entry : model.getParameters()) {
      mapping.put(entry.getKey(), entry.getValue());
    }
    try {
      WeightLoader.load(checkpoint.resolve(Checkpoint.MODEL), mapping.build(), manager);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserException user) {
        throw user;
      }
      throw corrupt(checkpoint, e.getMessage());
    }
    return state.get("step").getAsInt();
  }

  /** The loss scaler's state in {@code state.json}, read and checked before anything loads. */
  private static LossScaler.State lossScale(Path checkpoint, JsonObject state) {
    if (!state.has(LOSS_SCALE) || !state.get(LOSS_SCALE).isJsonObject()) {
      throw corrupt(
          checkpoint,
          Checkpoint.STATE
              + " has no '"
              + LOSS_SCALE
              + "', which a run with mm1.train.precision = fp16-mixed writes");
    }
    try {
      JsonObject scaling = state.getAsJsonObject(LOSS_SCALE);
      return new LossScaler.State(
          scaling.get(SCALE).getAsDouble(),
          scaling.get(GOOD_STEPS).getAsInt(),
          scaling.get(SKIPPED_STEPS).getAsLong());
    } catch (RuntimeException e) {
      throw corrupt(
          checkpoint,
          Checkpoint.STATE + " holds an unreadable '" + LOSS_SCALE + "': " + state.get(LOSS_SCALE));
    }
  }

  /** Whether {@code dir} looks like one checkpoint (it has a state file). */
  public static boolean isCheckpoint(Path dir) {
    return Files.isRegularFile(dir.resolve(Checkpoint.STATE));
  }

  private static void verify(Path checkpoint, JsonObject state, String file) {
    JsonObject sums = state.getAsJsonObject("sha256");
    if (sums == null || sums.get(file) == null || !sums.get(file).isJsonPrimitive()) {
      throw corrupt(checkpoint, Checkpoint.STATE + " has no checksum of " + file);
    }
    String expected = sums.get(file).getAsString();
    String actual;
    try {
      actual = sha256(checkpoint.resolve(file));
    } catch (IOException e) {
      throw corrupt(checkpoint, file + " cannot be read (" + e.getMessage() + ")");
    }
    if (!expected.equals(actual)) {
      throw corrupt(checkpoint, file + " does not match its checksum");
    }
  }

  /**
   * Reads only where a checkpoint stands (step and data position), to open the data pipeline before
   * the model is loaded.
   *
   * @throws UserException when it is not a readable checkpoint
   */
  public static Restored position(Path checkpoint) {
    return position(readState(checkpoint));
  }

  private static Restored position(JsonObject state) {
    Map<String, Long> positions = new LinkedHashMap<>();
    state
        .getAsJsonObject("positions")
        .entrySet()
        .forEach(p -> positions.put(p.getKey(), p.getValue().getAsLong()));
    String carried =
        state.get("carried-source") == null || state.get("carried-source").isJsonNull()
            ? null
            : state.get("carried-source").getAsString();
    return new Restored(
        state.get("step").getAsInt(),
        new PipelineState(state.get("mixer-state").getAsString(), positions, carried));
  }

  private static JsonObject readState(Path checkpoint) {
    Path file = checkpoint.resolve(Checkpoint.STATE);
    if (!Files.isRegularFile(file)) {
      throw corrupt(
          checkpoint,
          "it has no " + Checkpoint.STATE + " (not a checkpoint, or an incomplete one)");
    }
    try {
      JsonObject state =
          JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
      if (!FORMAT.equals(state.has("format") ? state.get("format").getAsString() : null)) {
        throw corrupt(checkpoint, Checkpoint.STATE + " is not of format " + FORMAT);
      }
      for (String key : List.of("step", "optimizer-step", "mixer-state", "positions", "sha256")) {
        if (!state.has(key)) {
          throw corrupt(checkpoint, Checkpoint.STATE + " lacks '" + key + "'");
        }
      }
      return state;
    } catch (IOException
        | JsonParseException
        | IllegalStateException
        | UnsupportedOperationException e) {
      throw corrupt(
          checkpoint,
          Checkpoint.STATE + " is unreadable (" + JsonMessages.reason(e.getMessage()) + ")");
    }
  }

  private static UserException corrupt(Path checkpoint, String what) {
    return new UserException("checkpoint " + checkpoint + " cannot be used: " + what);
  }

  private List<Path> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> all =
          new ArrayList<>(
              entries
                  .filter(p -> Checkpoint.isFolder(p.getFileName().toString()))
                  .filter(Files::isDirectory)
                  .sorted()
                  .toList());
      return all;
    } catch (IOException e) {
      throw new UserException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void prune() throws IOException {
    List<Path> all = list();
    for (int i = 0; i < all.size() - keep; i++) {
      deleteTree(all.get(i));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A loaded checkpoint's position.
   *
   * @param step the steps completed
   * @param data where the data stream continues
   */
  public record Restored(int step, PipelineState data) {}
}
