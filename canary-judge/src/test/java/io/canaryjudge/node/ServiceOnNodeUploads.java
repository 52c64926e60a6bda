package io.canaryjudge.node;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import java.time.Duration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the service tests over qa76's Node uploads share (qa82, qa86, fxg): the service judging one-minute slices (the
 * SDK uploads a profile a minute) with no warm-up left out and a 120 s deadline (since qa98 each heap slice of each
 * live type costs a second query, its pair column's, for the counts), a client that waits up to 180 s, past the deadline
 * (analyses of Node's wall on the loaded build machine), and a Pyroscope stand-in holding {@link NodeUploads}, started
 * by {@link #startWithNodeUploads} from the subclass's {@code @DynamicPropertySource}, which adds its own series after
 * it.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=120s", "canary-judge.analysis.max-deadline=120s",
                "canary-judge.analysis.slice=60s", "canary-judge.analysis.warmup=0s"})
public abstract class ServiceOnNodeUploads extends ServiceOnPyroscopeStandIn {

    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(180);
    }

    /** Starts the class's stand-in, gives the service its URL, and adds qa76's Node pods to it. */
    protected static void startWithNodeUploads(DynamicPropertyRegistry registry) {
        startPyroscope(registry);
        NodeUploads.addTo(pyroscope);
    }
}
