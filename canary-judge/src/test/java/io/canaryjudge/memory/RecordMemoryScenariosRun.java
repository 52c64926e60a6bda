package io.canaryjudge.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs {@link RecordMemoryScenarios} from Maven, which knows the test class path the pods need;
 * skipped unless {@code -Dmemory.record=DIR}. A one-time recording (about an hour), not CI:
 * <pre>
 * mvn -B -q -pl canary-judge -am test -Dtest=RecordMemoryScenariosRun -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dmemory.record=$PWD/canary-judge/target/memory-recording [-Dmemory.leadMinutes=20 -Dmemory.canaryMinutes=45 -Dmemory.flavour=plain|saw-tooth]
 * </pre>
 */
@EnabledIfSystemProperty(named = "memory.record", matches = ".+")
class RecordMemoryScenariosRun {
    @Test
    void record() throws Exception {
        RecordMemoryScenarios.main(new String[] {System.getProperty("memory.record"),
                System.getProperty("memory.leadMinutes", "20"), System.getProperty("memory.canaryMinutes", "45"),
                System.getProperty("memory.flavour", "plain")});
    }
}
