package org.mm1lab.core.data.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.mm1lab.core.data.DataSource;
import org.mm1lab.core.data.Example;

/** Real images and file snapshots for the format tests. */
final class Fixtures {

  private Fixtures() {}

  /** A small image whose colour and width encode {@code i}, so that round trips are checkable. */
  static BufferedImage image(int i) {
    BufferedImage image = new BufferedImage(8 + i % 5, 6, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(20 * (i % 12), 255 - 10 * (i % 20), 37));
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.dispose();
    return image;
  }

  static byte[] png(int i) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image(i), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The top-left pixel of an image, to identify it. */
  static int pixel(BufferedImage image) {
    return image.getRGB(0, 0) & 0xffffff;
  }

  /** Takes {@code n} examples from a stream. */
  static List<Example> take(DataSource.ExampleStream stream, int n) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(stream.next());
    }
    return out;
  }

  static List<String> ids(List<? extends Example> examples) {
    return examples.stream().map(Example::id).toList();
  }

  /** Bytes and modification time of every file under a directory. */
  record Snapshot(Map<String, byte[]> bytes, Map<String, FileTime> times) {
    static Snapshot of(Path dir) throws IOException {
      Map<String, byte[]> bytes = new TreeMap<>();
      Map<String, FileTime> times = new TreeMap<>();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          bytes.put(dir.relativize(p).toString(), Files.readAllBytes(p));
          times.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p));
        }
      }
      return new Snapshot(bytes, times);
    }

    void assertUnchanged(Path dir) throws IOException {
      Snapshot now = of(dir);
      assertEquals(bytes.keySet(), now.bytes.keySet(), "files added or removed");
      for (String name : bytes.keySet()) {
        assertArrayEquals(bytes.get(name), now.bytes.get(name), name + " changed");
      }
      assertEquals(times, now.times, "modification times changed");
    }
  }
}
