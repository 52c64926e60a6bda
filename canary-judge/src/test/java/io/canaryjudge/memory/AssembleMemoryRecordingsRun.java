package io.canaryjudge.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link AssembleMemoryRecordings} from Maven; skipped unless {@code -Dmemory.assemble=RAW_DIR}:
 * <pre>
 * mvn -B -q -pl canary-judge -am test -Dtest=AssembleMemoryRecordingsRun -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dmemory.assemble=$PWD/canary-judge/target/memory-recording -Dmemory.out=$PWD/canary-judge/src/test/resources/memory
 * </pre>
 */
@EnabledIfSystemProperty(named = "memory.assemble", matches = ".+")
class AssembleMemoryRecordingsRun {
    @Test
    void assemble() throws Exception {
        AssembleMemoryRecordings.main(new String[] {System.getProperty("memory.assemble"), System.getProperty("memory.out")});
    }
}
