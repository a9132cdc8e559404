package org.mm1lab.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mm1lab.core.assembly.Assembly;
import org.mm1lab.core.config.DataSettings;
import org.mm1lab.core.config.RunConfig;
import org.mm1lab.core.data.EvalItem;
import org.mm1lab.core.sources.DataSources;
import org.mm1lab.core.sources.WorldExport;
import org.mm1lab.core.testplugin.RunFiles;
import org.mm1lab.core.world.SyntheticWorld;

/** The files {@code mm1 data generate} writes are evaluation sets equal to the world's own. */
class EvalSetsTest {

  @TempDir Path dir;

  @Test
  void exportedEvalFilesReadBackAsTheWorldsSets() {
    Assembly assembly = new Assembly(getClass().getClassLoader());
    RunConfig plain =
        assembly.load(RunFiles.write(dir, "plain.conf", RunFiles.STAND_IN_RUN), List.of());
    SyntheticWorld world = DataSources.world(new DataSettings(plain));
    Path export = dir.resolve("world");
    WorldExport.export(world, export, new WorldExport.Counts(1, 4, 3, 5));
    String run =
        RunFiles.STAND_IN_RUN + "include file(\"" + export.resolve("eval-sets.conf") + "\")\n";
    RunConfig config =
        assembly.load(RunFiles.write(dir, "files.conf", run), List.of("mm1.eval.shots=[0, 2]"));
    EvalSettings settings = new EvalSettings(config);
    assertEquals("coco", settings.sets().get("caption").format());
    EvalSets sets = EvalSets.open(settings, new DataSettings(config));

    List<EvalItem> captions = sets.items("caption", 10);
    assertEquals(4, captions.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(
          ((EvalItem.Caption) world.evalSet("caption", 4).get(i)).references(),
          ((EvalItem.Caption) captions.get(i)).references());
    }
    List<EvalItem> vqa = sets.items("vqa", 4);
    for (int i = 0; i < 4; i++) {
      EvalItem.Vqa expected = (EvalItem.Vqa) world.evalSet("vqa", 4).get(i);
      EvalItem.Vqa read = (EvalItem.Vqa) vqa.get(i);
      assertEquals(expected.question(), read.question());
      assertEquals(expected.answers(), read.answers());
    }
    assertEquals(world.evalSet("text-core", 4), sets.items("text-core", 4));
    assertEquals(world.shotsSet("text-core", 3), sets.shots("text-core", 32));
    assertEquals(3, sets.shots("vqa", 32).size());
  }
}
