package org.mm1lab.core.data.formats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mm1lab.core.data.Example;

/**
 * Writes image-caption pairs as WebDataset-style tar shards that {@link WebDatasetSource} reads:
 * {@code PREFIX-000000.tar}, {@code PREFIX-000001.tar}, ... in a directory, each with up to {@code
 * recordsPerShard} records of a {@code KEY.png} image and a {@code KEY.txt} caption. Never
 * overwrites a file: a shard that already exists stops the writer with a clear message.
 */
public final class WebDatasetWriter implements AutoCloseable {

  private final Path dir;
  private final String prefix;
  private final int recordsPerShard;
  private TarWriter shard;
  private int inShard;
  private int shards;
  private long records;

  /**
   * @param dir the directory of the shards (created when missing)
   * @param prefix the shards' file name prefix
   * @param recordsPerShard records per shard, at least 1
   */
  public WebDatasetWriter(Path dir, String prefix, int recordsPerShard) {
    if (recordsPerShard < 1) {
      throw new IllegalArgumentException("recordsPerShard must be >= 1, got " + recordsPerShard);
    }
    this.dir = dir;
    this.prefix = prefix;
    this.recordsPerShard = recordsPerShard;
    Outputs.requireAbsent(shardPath(0));
  }

  /** Writes one example: {@code KEY.png} (the image re-encoded as PNG) and {@code KEY.txt}. */
  public void write(Example.Captioned example) {
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("png", Images.png(example.image()));
    members.put("txt", example.caption().getBytes(StandardCharsets.UTF_8));
    writeRecord(Images.safeKey(example.id()), members);
  }

  /**
   * Writes one record of any members.
   *
   * @param key the record's key: no dot in its last path segment
   * @param members extension (e.g. {@code png}, {@code json}) to bytes, written in this order
   */
  public void writeRecord(String key, Map<String, byte[]> members) {
    int slash = key.lastIndexOf('/');
    if (key.isEmpty() || key.indexOf('.', slash + 1) >= 0) {
      throw new IllegalArgumentException("a WebDataset key must be non-empty without dots: " + key);
    }
    try {
      if (shard == null || inShard == recordsPerShard) {
        closeShard();
        shard = new TarWriter(Outputs.createNew(shardPath(shards++)));
      }
      for (Map.Entry<String, byte[]> member : members.entrySet()) {
        shard.add(key + "." + member.getKey(), member.getValue());
      }
      inShard++;
      records++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write shard in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Records written so far. */
  public long records() {
    return records;
  }

  /** Shards started so far. */
  public int shards() {
    return shards;
  }

  @Override
  public void close() {
    try {
      closeShard();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish shard in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void closeShard() throws IOException {
    if (shard != null) {
      shard.close();
      shard = null;
      inShard = 0;
    }
  }

  private Path shardPath(int index) {
    return dir.resolve(String.format("%s-%06d.tar", prefix, index));
  }
}
